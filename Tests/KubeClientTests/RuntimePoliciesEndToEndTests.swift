import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// The runtime policies acting in `tandem up` and `tandem delete`, against the API test server,
/// with KubeVela's own documentation examples (Fixtures/policies, sources in SOURCES) where they
/// exist, and kubectl reading the result.
@Suite(.serialized) struct RuntimePoliciesEndToEndTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/policies")

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    /// `kubectl get KIND NAME -o jsonpath=PATH`.
    static func get(_ cluster: TestCluster, _ kind: String, _ name: String, _ path: String, namespace: String = "default") async throws -> String {
        let result = try await cluster.kubectl(["get", kind, name, "-n", namespace, "-o", "jsonpath=\(path)"])
        #expect(result.status == 0, "\(result.output)")
        return result.stdout
    }

    static let foreignBusybox = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: NAME, namespace: default}
        spec:
          selector: {matchLabels: {app.oam.dev/name: APP, app.oam.dev/component: NAME}}
          template:
            metadata: {labels: {app.oam.dev/name: APP, app.oam.dev/component: NAME}}
            spec: {containers: [{name: busybox, image: "someone/else:1"}]}
        """

    @Test func readOnlyObjectsMustExistAndAreNeverWritten() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("app.yaml", try Self.fixture("read-only.yaml"))
        let missing = try await cluster.tandem(["up", file, "--no-wait"])
        #expect(missing.status == 2, "\(missing.output)")
        #expect(missing.stderr.contains("component 'busybox' (deployment.apps/busybox): does not exist"), "\(missing.stderr)")
        #expect(missing.stderr.contains("read-only"), "\(missing.stderr)")

        let created = try await cluster.kubectl(["apply", "-f", "-"], stdin: Self.foreignBusybox.replacingOccurrences(of: "NAME", with: "busybox")
            .replacingOccurrences(of: "APP", with: "read-only"))
        try #require(created.status == 0, "\(created.output)")
        // Read by name and judged for health, though it is no member of the application's set.
        let up = try await cluster.tandem(["up", file, "--timeout", "60s"])
        #expect(up.status == 0, "\(up.output)")
        #expect(up.stdout.contains("deployment.apps/busybox kept"), "\(up.stdout)")
        #expect(up.stdout.contains("application read-only is healthy"), "\(up.stdout)")
        #expect(!up.stderr.contains("not act"), "\(up.stderr)")
        #expect(try await Self.get(cluster, "deployment", "busybox", "{.spec.template.spec.containers[0].image}") == "someone/else:1")
        #expect(try await Self.get(cluster, "deployment", "busybox", "{.metadata.labels}").contains("applyset") == false)
        // Deleting the application leaves it: it was never the application's.
        let deleted = try await cluster.tandem(["delete", "read-only"])
        #expect(deleted.status == 0, "\(deleted.output)")
        #expect(try await cluster.kubectl(["get", "deployment", "busybox"]).status == 0)
    }

    static let takeOver = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: take-over}
        spec:
          components:
            - name: busybox
              type: worker
              properties: {image: "busybox:1.36"}
            - name: other
              type: worker
              properties: {image: "busybox:1.36"}
          policies:
            - type: take-over
              name: take-over
              properties:
                rules:
                  - selector: {componentNames: [busybox]}
        """

    @Test func takeOverAdoptsTheObjectsItSelectsAndNoOthers() async throws {
        let cluster = try TestCluster()
        for name in ["busybox", "other"] {
            let created = try await cluster.kubectl(["apply", "-f", "-"], stdin: Self.foreignBusybox.replacingOccurrences(of: "NAME", with: name)
                .replacingOccurrences(of: "APP", with: "take-over"))
            try #require(created.status == 0, "\(created.output)")
        }
        let file = try cluster.file("app.yaml", Self.takeOver)
        let refused = try await cluster.tandem(["up", file, "--no-wait"])
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.stderr.contains("component 'other' (deployment.apps/other)"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("component 'busybox'"), "the policy lets busybox be adopted: \(refused.stderr)")

        try #require(try await cluster.kubectl(["delete", "deployment", "other"]).status == 0)
        let up = try await cluster.tandem(["up", file, "--no-wait"])
        #expect(up.status == 0, "\(up.output)")
        #expect(try await Self.get(cluster, "deployment", "busybox", "{.metadata.labels.applyset\\.kubernetes\\.io/part-of}").hasPrefix("applyset-"))
        #expect(try await Self.get(cluster, "deployment", "busybox", "{.spec.template.spec.containers[0].image}") == "busybox:1.36")
        let deleted = try await cluster.tandem(["delete", "take-over"])
        #expect(deleted.stdout.contains("deployment.apps/busybox deleted"), "\(deleted.output)")
    }

    @Test func takeOverAdoptsAnObjectGivenByItsMetadataAloneAsItIs() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("app.yaml", try Self.fixture("take-over.yaml"))
        let missing = try await cluster.tandem(["up", file, "--no-wait"])
        #expect(missing.status == 2, "\(missing.output)")
        #expect(missing.stderr.contains("component 'busybox' (deployment.apps/busybox-ref): does not exist"), "\(missing.stderr)")

        let created = try await cluster.kubectl(["apply", "-f", "-"], stdin: Self.foreignBusybox.replacingOccurrences(of: "NAME", with: "busybox-ref")
            .replacingOccurrences(of: "APP", with: "someone"))
        try #require(created.status == 0, "\(created.output)")
        let up = try await cluster.tandem(["up", file, "--no-wait"])
        #expect(up.status == 0, "\(up.output)")
        #expect(try await Self.get(cluster, "deployment", "busybox-ref", "{.metadata.labels.applyset\\.kubernetes\\.io/part-of}").hasPrefix("applyset-"))
        #expect(try await Self.get(cluster, "deployment", "busybox-ref", "{.spec.template.spec.containers[0].image}") == "someone/else:1")
        let deleted = try await cluster.tandem(["delete", "take-over"])
        #expect(deleted.stdout.contains("deployment.apps/busybox-ref deleted"), "\(deleted.output)")
    }

    @Test func applyOnceLeavesDriftAloneUntilTheApplicationChanges() async throws {
        let cluster = try TestCluster()
        let text = try Self.fixture("apply-once.yaml")
        let file = try cluster.file("app.yaml", text)
        try #require(try await cluster.tandem(["up", file, "--no-wait"]).status == 0)
        let scaled = try await cluster.kubectl(["patch", "deployment", "hello-world", "--type", "merge", "-p", #"{"spec":{"replicas":3}}"#])
        try #require(scaled.status == 0, "\(scaled.output)")

        let again = try await cluster.tandem(["up", file, "--no-wait"])
        #expect(again.status == 0, "\(again.output)")
        #expect(again.stdout.contains("deployment.apps/hello-world kept"), "\(again.stdout)")
        #expect(try await Self.get(cluster, "deployment", "hello-world", "{.spec.replicas}") == "3")

        let changed = try cluster.file("app.yaml", text.replacingOccurrences(of: "replicas: 1", with: "replicas: 2"))
        let update = try await cluster.tandem(["up", changed, "--no-wait"])
        #expect(update.status == 0, "\(update.output)")
        #expect(update.stdout.contains("deployment.apps/hello-world configured"), "\(update.stdout)")
        #expect(try await Self.get(cluster, "deployment", "hello-world", "{.spec.replicas}") == "2")
    }

    @Test func applyOnceKeepsTheLiveValuesOfTheFieldsItNames() async throws {
        let cluster = try TestCluster()
        let text = try Self.fixture("apply-once.yaml").replacingOccurrences(of: "        enable: true\n", with: """
                    enable: true
                    rules:
                      - selector: {resourceTypes: [Deployment]}
                        strategy: {path: [spec.replicas]}

            """)
        #expect(text.contains("path: [spec.replicas]"))
        try #require(try await cluster.tandem(["up", try cluster.file("app.yaml", text), "--no-wait"]).status == 0)
        let scaled = try await cluster.kubectl(["patch", "deployment", "hello-world", "--type", "merge", "-p", #"{"spec":{"replicas":4}}"#])
        try #require(scaled.status == 0, "\(scaled.output)")
        // Its other fields are applied as rendered; spec.replicas keeps the cluster's value.
        let again = try await cluster.tandem(["up", try cluster.file("app.yaml", text), "--no-wait"])
        #expect(again.status == 0, "\(again.output)")
        #expect(try await Self.get(cluster, "deployment", "hello-world", "{.spec.replicas}") == "4")
        // A diff (a server dry run) shows no change for it either.
        let diff = try await cluster.tandem(["diff", try cluster.file("app.yaml", text)])
        #expect(!diff.stdout.contains("replicas"), "\(diff.stdout)")
    }

    @Test func garbageCollectKeepsATraitsObjectUntilTheApplicationIsDeleted() async throws {
        let cluster = try TestCluster()
        let text = try Self.fixture("garbage-collect.yaml")
        let first = try await cluster.tandem(["up", try cluster.file("app.yaml", text), "--no-wait"])
        try #require(first.status == 0, "\(first.output)")
        let service = try #require(first.stdout.split(separator: "\n").first { $0.hasPrefix("service/") && $0.hasSuffix(" created") }?
            .split(separator: " ").first.map(String.init), "\(first.stdout)")

        let withoutTrait = text.components(separatedBy: "      traits:")[0] + "  policies:" + text.components(separatedBy: "  policies:")[1]
        let second = try await cluster.tandem(["up", try cluster.file("app.yaml", withoutTrait), "--no-wait"])
        #expect(second.status == 0, "\(second.output)")
        #expect(!second.stdout.contains("\(service) pruned"), "\(second.stdout)")
        #expect(try await cluster.kubectl(["get", service]).status == 0, "onAppDelete keeps it while the application lives")

        let deleted = try await cluster.tandem(["delete", "garbage-collect-app"])
        #expect(deleted.stdout.contains("\(service) deleted"), "\(deleted.output)")
        #expect(try await cluster.kubectl(["get", service]).status != 0)
    }

    static let ordered = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: ordered}
        spec:
          components:
            - name: api
              type: worker
              properties: {image: "shop/api:1"}
            - name: web
              type: worker
              dependsOn: [api]
              properties: {image: "shop/web:1"}
            - name: cache
              type: worker
              properties: {image: "shop/cache:1"}
          policies:
            - name: gc
              type: garbage-collect
              properties:
                keepLegacyResource: KEEP
                order: dependency
                rules:
                  - selector: {componentNames: [cache]}
                    strategy: never
        """

    @Test func garbageCollectKeepsLegacyObjectsDeletesInDependencyOrderAndNeverDeletesWhatItMustNot() async throws {
        let cluster = try TestCluster()
        try #require(try await cluster.tandem(["up", try cluster.file("app.yaml", Self.ordered.replacingOccurrences(of: "KEEP", with: "true")),
                                               "--no-wait"]).status == 0)
        let withoutWeb = Self.ordered.replacingOccurrences(of: "KEEP", with: "true")
            .replacingOccurrences(of: "    - name: web\n      type: worker\n      dependsOn: [api]\n      properties: {image: \"shop/web:1\"}\n", with: "")
        #expect(!withoutWeb.contains("shop/web"))
        let second = try await cluster.tandem(["up", try cluster.file("app.yaml", withoutWeb), "--no-wait"])
        #expect(second.status == 0, "\(second.output)")
        #expect(!second.stdout.contains("pruned"), "keepLegacyResource prunes nothing: \(second.stdout)")

        let deleted = try await cluster.tandem(["delete", "ordered", "--wait"])
        #expect(deleted.status == 0, "\(deleted.output)")
        let lines = deleted.stdout.split(separator: "\n").map(String.init)
        let web = try #require(lines.firstIndex(of: "deployment.apps/web deleted"), "\(deleted.stdout)")
        let api = try #require(lines.firstIndex(of: "deployment.apps/api deleted"), "\(deleted.stdout)")
        #expect(web < api, "web depends on api: it goes first")
        #expect(!deleted.stdout.contains("deployment.apps/cache"), "\(deleted.stdout)")
        #expect(try await cluster.kubectl(["get", "deployment", "cache"]).status == 0, "strategy never: kept")
        #expect(try await Self.get(cluster, "deployment", "cache", "{.metadata.labels}").contains("applyset") == false,
                "it left the set, which no longer exists")
    }

    @Test func aSharedNamespaceIsKeptUntilTheLastApplicationLetsGo() async throws {
        let cluster = try TestCluster()
        let first = try await cluster.tandem(["up", try cluster.file("app1.yaml", try Self.fixture("shared-resource-1.yaml")), "--no-wait"])
        try #require(first.status == 0, "\(first.output)")
        let second = try await cluster.tandem(["up", try cluster.file("app2.yaml", try Self.fixture("shared-resource-2.yaml")), "--no-wait"])
        #expect(second.status == 0, "\(second.output)")
        #expect(second.stdout.contains("namespace/example kept"), "\(second.stdout)")
        #expect(try await Self.get(cluster, "namespace", "example", "{.metadata.annotations.app\\.oam\\.dev/shared-by}") == "default/app1,default/app2")

        let deleteFirst = try await cluster.tandem(["delete", "app1"])
        #expect(deleteFirst.status == 0, "\(deleteFirst.output)")
        #expect(!deleteFirst.stdout.contains("namespace/example"), "\(deleteFirst.stdout)")
        #expect(deleteFirst.stdout.contains("configmap/cm1 deleted"), "\(deleteFirst.stdout)")
        #expect(try await Self.get(cluster, "namespace", "example", "{.metadata.annotations.app\\.oam\\.dev/shared-by}") == "default/app2")
        #expect(try await cluster.kubectl(["get", "configmap", "cm2", "-n", "example"]).status == 0)

        let deleteSecond = try await cluster.tandem(["delete", "app2"])
        #expect(deleteSecond.status == 0, "\(deleteSecond.output)")
        #expect(deleteSecond.stdout.contains("namespace/example deleted"), "\(deleteSecond.stdout)")
    }

    static func sharing(_ app: String) -> String {
        """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: \(app)}
        spec:
          components:
            - name: common
              type: k8s-objects
              properties:
                objects:
                  - apiVersion: v1
                    kind: Service
                    metadata: {name: common}
                    spec: {ports: [{port: 80}], selector: {app: common}}
            - name: \(app)
              type: worker
              properties: {image: "shop/\(app):1"}
          policies:
            - name: share
              type: shared-resource
              properties:
                rules:
                  - selector: {componentNames: [common]}
        """
    }

    @Test func aSharedObjectOwnedByAnotherIsJudgedForHealthByName() async throws {
        let cluster = try TestCluster()
        let first = try await cluster.tandem(["up", try cluster.file("a.yaml", Self.sharing("first")), "--timeout", "60s"])
        try #require(first.status == 0, "\(first.output)")
        let second = try await cluster.tandem(["up", try cluster.file("b.yaml", Self.sharing("second")), "--timeout", "60s"])
        #expect(second.status == 0, "\(second.output)")
        #expect(second.stdout.contains("service/common kept"), "\(second.stdout)")
        #expect(second.stdout.contains("application second is healthy"), "\(second.stdout)")
    }

    @Test func resourceUpdateRecreatesAnImmutableSecretWhenItsFieldChanges() async throws {
        let cluster = try TestCluster()
        let text = try Self.fixture("resource-update-recreate.yaml")
        try #require(try await cluster.tandem(["up", try cluster.file("app.yaml", text), "--no-wait"]).status == 0)
        let before = try await Self.get(cluster, "secret", "recreate", "{.metadata.uid}")
        let changed = try await cluster.tandem(["up", try cluster.file("app.yaml", text.replacingOccurrences(of: "key: dgo=", with: "key: dgE=")),
                                                "--no-wait"])
        #expect(changed.status == 0, "\(changed.output)")
        #expect(try await Self.get(cluster, "secret", "recreate", "{.data.key}") == "dgE=")
        #expect(try await Self.get(cluster, "secret", "recreate", "{.metadata.uid}") != before, "deleted and created again")
    }

    @Test func resourceUpdateReplaceDropsFieldsTheApplicationDoesNotSet() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("app.yaml", try Self.fixture("resource-update-replace.yaml"))
        try #require(try await cluster.tandem(["up", file, "--no-wait"]).status == 0)
        let patched = try await cluster.kubectl(["patch", "configmap", "recreate", "--type", "merge", "-p", #"{"data":{"extra":"x"}}"#])
        try #require(patched.status == 0, "\(patched.output)")
        let up = try await cluster.tandem(["up", file, "--no-wait"])
        #expect(up.status == 0, "\(up.output)")
        #expect(try await Self.get(cluster, "configmap", "recreate", "{.data}") == #"{"key":"val"}"#)
    }
}
