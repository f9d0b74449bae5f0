import Foundation
import KubeClient
import TandemJSON
import TandemTestSupport
import Testing

/// `tandem up`, `diff`, `status` and `delete` as a user runs them, against the API test server
/// (with its simulated controllers and kubelet), checked with the real kubectl where it can judge.
@Suite(.serialized) struct DeployEndToEndTests {
    static let examples = PackagePaths.root.appendingPathComponent("examples")

    static let seed = examples.appendingPathComponent("seed/01-minimal.yaml").path

    /// The seed's Secret and ConfigMap, which its sidecar reads.
    static let seedReferences = """
        apiVersion: v1
        kind: Secret
        metadata: {name: mysecret, namespace: default}
        stringData: {username: admin}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: game-demo, namespace: default}
        data: {player_initial_lives: "3"}
        """

    @Test func theSeedExampleWarnsOfWhatItNeedsThenBecomesHealthy() async throws {
        let cluster = try TestCluster()
        // Without its Secret and ConfigMap: warned about, with the place in the file, then the
        // sidecar cannot start and up names the missing Secret.
        let missing = try await cluster.tandem(["up", Self.seed, "--timeout", "60s"])
        #expect(missing.status == 2, "\(missing.output)")
        #expect(missing.stderr.contains("01-minimal.yaml:26:27: warning:"), "\(missing.stderr)")
        #expect(missing.stderr.contains("Secret 'mysecret'"))
        #expect(missing.stderr.contains("ConfigMap 'game-demo'"))
        #expect(missing.stderr.contains("trait-name"), "the failing sidecar is named: \(missing.stderr)")
        #expect(missing.stderr.contains("CreateContainerConfigError"), "\(missing.stderr)")

        let created = try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: Self.seedReferences)
        try #require(created.status == 0, "\(created.output)")
        let up = try await cluster.tandem(["up", Self.seed, "--timeout", "60s"])
        #expect(up.status == 0, "\(up.output)")
        #expect(up.stdout.contains("application my-app is healthy"), "\(up.stdout)")
        #expect(!up.stderr.contains("warning"), "\(up.stderr)")

        let status = try await cluster.tandem(["status", "my-app", "-o", "json"])
        #expect(status.status == 0, "\(status.output)")
        let json = try JSONReader().read(status.stdout)
        #expect(json["healthy"] == true)
        let containers = json["components"]?.array?.first?["containers"]?.array ?? []
        #expect(containers.compactMap { $0["name"]?.string }.sorted() == ["my-comp", "trait-name"])
        #expect(containers.first { $0["name"]?.string == "trait-name" }?["role"] == "sidecar")
    }

    static let twoComponents = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: shop}
        spec:
          components:
            - name: web
              type: webservice
              properties:
                image: shop/web:1
                ports: [{port: 8080, expose: true}]
            - name: worker
              type: worker
              properties:
                image: shop/worker:1
        """

    @Test func aSecondUpPrunesExactlyTheRemovedComponent() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("shop.yaml", Self.twoComponents)
        let first = try await cluster.tandem(["up", file, "--timeout", "60s"])
        try #require(first.status == 0, "\(first.output)")
        #expect(first.stdout.contains("deployment.apps/web created"))
        #expect(first.stdout.contains("service/web created"))
        #expect(first.stdout.contains("deployment.apps/worker created"))
        // Something else in the namespace, not the application's.
        let other = try await cluster.kubectl(["create", "configmap", "unrelated", "--from-literal=a=b"])
        try #require(other.status == 0, "\(other.output)")

        let smaller = try cluster.file("shop.yaml", String(Self.twoComponents.split(separator: "\n").prefix(10).joined(separator: "\n")) + "\n")
        let second = try await cluster.tandem(["up", smaller, "--timeout", "60s"])
        #expect(second.status == 0, "\(second.output)")
        #expect(second.stdout.contains("deployment.apps/worker pruned"), "\(second.stdout)")
        #expect(second.stdout.contains("deployment.apps/web unchanged"), "\(second.stdout)")
        #expect(!second.stdout.contains("web pruned"))
        let workers = try await cluster.kubectl(["get", "deployment", "worker", "-o", "name"])
        #expect(workers.status != 0 && workers.stderr.contains("NotFound"), "\(workers.output)")
        #expect(try await cluster.kubectl(["get", "configmap", "unrelated", "-o", "name"]).status == 0)
        #expect(try await cluster.kubectl(["get", "deployment", "web", "-o", "name"]).status == 0)
    }

    @Test func kubectlListsExactlyTheMembersOfTheSet() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("shop.yaml", Self.twoComponents)
        try #require(try await cluster.tandem(["up", file, "--no-wait"]).status == 0)
        let parent = try await cluster.kubectl(["get", "secret", "tandem-shop", "-o", "json"])
        try #require(parent.status == 0, "\(parent.output)")
        let parentJSON = try JSONReader().read(parent.stdout)
        let id = try #require(parentJSON[path: ["metadata", "labels", "applyset.kubernetes.io/id"]]?.string)
        #expect(parentJSON[path: ["metadata", "annotations", "applyset.kubernetes.io/contains-group-kinds"]] == "Deployment.apps,Service")
        #expect(parentJSON[path: ["metadata", "annotations", "applyset.kubernetes.io/tooling"]]?.string?.hasPrefix("tandem/v") == true)
        let members = try await cluster.kubectl(["get", "deployments,services,configmaps", "-l", "applyset.kubernetes.io/part-of=\(id)",
                                           "-o", "name"])
        #expect(members.status == 0, "\(members.output)")
        #expect(Set(members.stdout.split(separator: "\n").map(String.init))
            == ["deployment.apps/web", "deployment.apps/worker", "service/web"])
    }

    @Test func aForeignObjectIsLeftAloneAndNamed() async throws {
        let cluster = try TestCluster()
        let foreign = try await cluster.kubectl(["apply", "-f", "-"], stdin: """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: worker, namespace: default}
            spec:
              selector: {matchLabels: {app.oam.dev/name: shop, app.oam.dev/component: worker}}
              template:
                metadata: {labels: {app.oam.dev/name: shop, app.oam.dev/component: worker}}
                spec: {containers: [{name: worker, image: "someone/else:1"}]}
            """)
        try #require(foreign.status == 0, "\(foreign.output)")
        let file = try cluster.file("shop.yaml", Self.twoComponents)
        let up = try await cluster.tandem(["up", file, "--no-wait"])
        #expect(up.status == 2)
        #expect(up.stderr.contains("component 'worker' (deployment.apps/worker)"), "\(up.stderr)")
        #expect(up.stderr.contains("nothing was applied"))
        #expect(up.stderr.contains("--take-over"))
        // Nothing was applied, and the foreign Deployment is as it was.
        #expect(try await cluster.kubectl(["get", "deployment", "web"]).status != 0)
        let image = try await cluster.kubectl(["get", "deployment", "worker", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])
        #expect(image.stdout == "someone/else:1")
        // With --take-over it becomes the application's.
        let taken = try await cluster.tandem(["up", file, "--no-wait", "--take-over"])
        #expect(taken.status == 0, "\(taken.output)")
        let adopted = try await cluster.kubectl(["get", "deployment", "worker", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])
        #expect(adopted.stdout == "shop/worker:1")
    }

    @Test func aCrashLoopingSidecarFailsUpWithItsNameAndReason() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("crash.yaml", """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: crash}
            spec:
              components:
                - name: app
                  type: worker
                  properties: {image: busybox:1.36, cmd: ["sleep", "3600"]}
                  traits:
                    - type: sidecar
                      properties: {name: shipper, image: busybox:1.36, cmd: ["sh", "-c", "exit 1"]}
            """)
        let up = try await cluster.tandem(["up", file, "--timeout", "90s"])
        #expect(up.status == 2, "\(up.output)")
        #expect(up.stderr.contains("application crash failed"), "\(up.stderr)")
        #expect(up.stderr.contains("sidecar 'shipper'"), "\(up.stderr)")
        #expect(up.stderr.contains("CrashLoopBackOff"), "\(up.stderr)")
        #expect(up.stderr.contains("restarts)"), "\(up.stderr)")
        let status = try await cluster.tandem(["status", "crash"])
        #expect(status.status == 2)
        // Caught between two crashes the sidecar may be running for a moment: its back-off shows anyway.
        #expect(status.stdout.contains("shipper") && (status.stdout.contains("CrashLoopBackOff") || status.stdout.contains("Back-off restarting")),
                "\(status.stdout)")
    }

    @Test func diffShowsAChangedImage() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("shop.yaml", Self.twoComponents)
        try #require(try await cluster.tandem(["up", file, "--no-wait"]).status == 0)
        let same = try await cluster.tandem(["diff", file, "--exit-code"])
        #expect(same.status == 0, "\(same.output)")
        #expect(same.stdout.isEmpty)
        let changed = try cluster.file("shop.yaml", Self.twoComponents.replacingOccurrences(of: "shop/web:1", with: "shop/web:2"))
        let diff = try await cluster.tandem(["diff", changed, "--exit-code"])
        #expect(diff.status == 3, "\(diff.output)")
        #expect(diff.stdout.contains("--- live/apps/v1/Deployment/default/web"), "\(diff.stdout)")
        #expect(diff.stdout.contains("-        - image: shop/web:1") || diff.stdout.contains("-          image: shop/web:1"), "\(diff.stdout)")
        #expect(diff.stdout.contains("shop/web:2"))
        #expect(!diff.stdout.contains("managedFields") && !diff.stdout.contains("resourceVersion"))
        // Nothing changed on the cluster.
        let image = try await cluster.kubectl(["get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])
        #expect(image.stdout == "shop/web:1")
    }

    @Test func deleteRemovesWhatTheApplicationOwnedAndNothingElse() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("shop.yaml", Self.twoComponents)
        try #require(try await cluster.tandem(["up", file, "--no-wait"]).status == 0)
        try #require(try await cluster.kubectl(["create", "configmap", "keep-me", "--from-literal=a=b"]).status == 0)
        let deleted = try await cluster.tandem(["delete", "shop", "--wait", "--timeout", "60s"])
        #expect(deleted.status == 0, "\(deleted.output)")
        #expect(deleted.stdout.contains("application shop deleted (4 objects)"), "\(deleted.stdout)")
        let left = try await cluster.kubectl(["get", "deployments,services,secrets,configmaps", "-o", "name"])
        #expect(left.stdout.contains("configmap/keep-me"))
        #expect(!left.stdout.contains("deployment.apps/") && !left.stdout.contains("service/web") && !left.stdout.contains("tandem-shop"),
                "\(left.stdout)")
        let again = try await cluster.tandem(["delete", "shop"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("application shop is not deployed in namespace default"))
        #expect(try await cluster.tandem(["delete", "shop", "--ignore-not-found"]).status == 0)
    }

    @Test func anUnreachableServerFailsFastAndClearly() async throws {
        let cluster = try TestCluster()
        let kubeconfig = try cluster.file("unreachable", """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]
            users: [{name: u, user: {token: not-shown-anywhere}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """)
        let up = try await Tandem.run(["up", Self.seed, "--kubeconfig", kubeconfig])
        #expect(up.status == 2)
        #expect(up.stderr == "tandem: cannot reach https://127.0.0.1:9: connection refused\n", "\(up.stderr)")
        #expect(!up.output.contains("not-shown-anywhere"))
    }

    /// Fast, counted rather than timed: a refused connection is sent once, with no back-off.
    @Test func aRefusedConnectionIsNotRetried() async throws {
        let client = try KubeClient(ClusterConnection(server: "https://127.0.0.1:9"))
        await #expect(throws: KubeError.self) { try await client.version() }
        #expect(client.requestCount == 1)
        await client.shutdown()
    }

    @Test func aClusterAt128RefusesANativeSidecar() async throws {
        let cluster = try TestCluster(["--version", "v1.28.4"])
        let file = try cluster.file("native.yaml", """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: native}
            spec:
              components:
                - name: app
                  type: worker
                  properties: {image: busybox:1.36}
                  traits:
                    - type: sidecar
                      properties: {name: proxy, image: envoy:1, native: true}
            """)
        let up = try await cluster.tandem(["up", file, "-v"])
        #expect(up.status == 1, "\(up.output)")
        #expect(up.stderr.contains("native sidecar needs Kubernetes 1.29"), "\(up.stderr)")
        // Only reads (the version, then the cluster's definitions): nothing was sent.
        let requests = up.stderr.split(separator: "\n").filter { $0.hasPrefix("tandem: ") && $0.contains(" /") }
        #expect(requests.first?.hasPrefix("tandem: GET /version") == true, "\(requests)")
        #expect(requests.allSatisfy { $0.hasPrefix("tandem: GET ") }, "\(requests)")
        #expect(requests.dropFirst().allSatisfy { $0.contains("core.oam.dev") || $0.hasPrefix("tandem: GET /apis ") }, "\(requests)")
    }

    @Test func conflictsAreReportedFieldByFieldAndCanBeForced() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("shop.yaml", Self.twoComponents)
        try #require(try await cluster.tandem(["up", file, "--no-wait"]).status == 0)
        // Another manager takes the image with server-side apply.
        let patch = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: default}
            spec:
              selector: {matchLabels: {app.oam.dev/name: shop, app.oam.dev/component: web}}
              template:
                metadata: {labels: {app.oam.dev/name: shop, app.oam.dev/component: web}}
                spec: {containers: [{name: web, image: hotfix/web:9}]}
            """
        let hotfix = try await cluster.kubectl(["apply", "--server-side", "--field-manager", "oncall", "--force-conflicts", "-f", "-"], stdin: patch)
        try #require(hotfix.status == 0, "\(hotfix.output)")
        let up = try await cluster.tandem(["up", file, "--no-wait"])
        #expect(up.status == 2)
        #expect(up.stderr.contains("conflict with \"oncall\""), "\(up.stderr)")
        #expect(up.stderr.contains("image"), "\(up.stderr)")
        #expect(up.stderr.contains("--force-conflicts"))
        let forced = try await cluster.tandem(["up", file, "--no-wait", "--force-conflicts"])
        #expect(forced.status == 0, "\(forced.output)")
        let image = try await cluster.kubectl(["get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])
        #expect(image.stdout == "shop/web:1")
    }

    @Test func aServerDryRunChangesNothing() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("shop.yaml", Self.twoComponents)
        let dryRun = try await cluster.tandem(["up", file, "--dry-run=server"])
        #expect(dryRun.status == 0, "\(dryRun.output)")
        #expect(dryRun.stdout.contains("deployment.apps/web created (server dry run)"), "\(dryRun.stdout)")
        #expect(try await cluster.kubectl(["get", "deployment", "web"]).status != 0)
        #expect(try await cluster.kubectl(["get", "secret", "tandem-shop"]).status != 0)
    }
}
