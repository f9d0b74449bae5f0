import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// `tandem install` and `tandem controller` as an operator runs them: the manifests judged by
/// the Kubernetes schemas and applied with kubectl, the controller as a process, stopped by SIGTERM.
@Suite(.serialized) struct ControllerProcessTests {
    @Test(Judges.needs(PythonTools.kubernetesValidate != nil, PythonTools.missingKubernetesValidate))
    func installManifestsPassStrictValidation() async throws {
        let install = try await Tandem.run(["install", "--allow-rbac"])
        try #require(install.status == 0, "\(install.output)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("install-\(UUID().uuidString).yaml")
        try install.stdout.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let validation = try await offCooperativePool { try PythonTools.kubernetesValidate(["--strict", "--quiet", "-k", "1.31.0", file.path]) }
        #expect(validation.status == 0, "\(validation.output)")
        // Least privilege: no wildcard anywhere in the RBAC.
        #expect(!install.stdout.contains("'*'") && !install.stdout.contains("\"*\"") && !install.stdout.contains("- \"*\""))
    }

    /// KubeVela's definition objects, as `tandem def render` writes them, apply with kubectl
    /// into the CRDs `tandem install` adds, and read back under KubeVela's short names.
    @Test func installedWithKubectlDefinitionObjectsApply() async throws {
        let cluster = try TestCluster()
        let install = try await Tandem.run(["install"])
        try #require(install.status == 0)
        let applied = try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: install.stdout)
        try #require(applied.status == 0, "\(applied.output)")
        let examples = PackagePaths.root.appendingPathComponent("examples/definitions")
        for (file, resource, name) in [("microservice.cue", "comp", "microservice"), ("log-shipper.cue", "trait", "log-shipper")] {
            let render = try await Tandem.run(["def", "render", examples.appendingPathComponent(file).path])
            try #require(render.status == 0, "\(render.stderr)")
            let created = try await cluster.kubectl(["apply", "--server-side", "-n", "vela-system", "-f", "-"], stdin: render.stdout)
            #expect(created.status == 0, "\(created.output)")
            let read = try await cluster.kubectl(["get", resource, name, "-n", "vela-system", "-o", "jsonpath={.spec.schematic.cue.template}"])
            #expect(read.status == 0 && read.stdout.contains("parameter"), "\(read.output)")
        }
        let table = try await cluster.kubectl(["get", "trait", "-n", "vela-system"])
        #expect(table.stdout.contains("APPLIES-TO") && table.stdout.contains("log-shipper"), "\(table.output)")
    }

    /// A component whose Deployment carries the definition's version as a label.
    static func labelledDefinition(_ version: String) -> String {
        """
        "labelled": {
        \ttype: "component"
        \tattributes: workload: definition: {apiVersion: "apps/v1", kind: "Deployment"}
        }
        template: {
        \toutput: {
        \t\tapiVersion: "apps/v1"
        \t\tkind:       "Deployment"
        \t\tmetadata: labels: version: "\(version)"
        \t\tspec: {
        \t\t\tselector: matchLabels: app: context.name
        \t\t\ttemplate: {
        \t\t\t\tmetadata: labels: app: context.name
        \t\t\t\tspec: containers: [{name: context.name, image: parameter.image}]
        \t\t\t}
        \t\t}
        \t}
        \tparameter: image: string
        }

        """
    }

    /// The controller renders with the cluster's definitions, and a new version of one
    /// reconciles the Applications using it.
    @Test func aChangedDefinitionReconcilesTheApplicationsUsingIt() async throws {
        let cluster = try TestCluster()
        let install = try await Tandem.run(["install"])
        try #require(install.status == 0)
        try #require(try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: install.stdout).status == 0)
        let (controller, logs) = try Self.startController(cluster)
        defer { if controller.isRunning { controller.terminate() } }
        let log = { (try? String(contentsOf: logs, encoding: .utf8)) ?? "" }

        let first = try cluster.file("labelled-v1.cue", Self.labelledDefinition("v1"))
        try #require(try await cluster.tandem(["def", "apply", first]).status == 0)
        let app = """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: site, namespace: default}
            spec:
              components:
                - name: web
                  type: labelled
                  properties: {image: "nginx:1.27"}
            """
        try #require(try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: app).status == 0)
        let running = try await cluster.kubectl(["wait", "app/site", "--for=jsonpath={.status.status}=running", "--timeout=20s"])
        #expect(running.status == 0, "\(running.output)\n\(log())")
        let v1 = try await cluster.kubectl(["get", "deployment", "web", "-o", "jsonpath={.metadata.labels.version}"])
        #expect(v1.stdout == "v1", "\(v1.output)")

        let second = try cluster.file("labelled-v2.cue", Self.labelledDefinition("v2"))
        try #require(try await cluster.tandem(["def", "apply", second]).status == 0)
        let v2 = try await cluster.kubectl(["wait", "deployment/web", "--for=jsonpath={.metadata.labels.version}=v2", "--timeout=20s"])
        #expect(v2.status == 0, "\(v2.output)\n\(log())")
    }

    @Test func installedWithKubectlTheSeedApplicationRuns() async throws {
        let cluster = try TestCluster()
        let install = try await Tandem.run(["install"])
        try #require(install.status == 0)
        let applied = try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: install.stdout)
        try #require(applied.status == 0, "\(applied.output)")

        let (controller, logs) = try Self.startController(cluster)
        defer { if controller.isRunning { controller.terminate() } }

        let seed = try String(contentsOf: PackagePaths.root.appendingPathComponent("examples/seed/01-minimal.yaml"), encoding: .utf8)
        let references = """
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
        try #require(try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: references).status == 0)
        let created = try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: seed)
        try #require(created.status == 0, "\(created.output)")
        // kubectl watches the Application until its status says running.
        let running = try await cluster.kubectl(["wait", "app/my-app", "--for=jsonpath={.status.status}=running", "--timeout=20s"])
        #expect(running.status == 0, "\(running.output)")
        let containers = try await cluster.kubectl(["get", "deployment", "my-comp", "-o", "jsonpath={.spec.template.spec.containers[*].name}"])
        #expect(containers.stdout == "my-comp trait-name")
        let table = try await cluster.kubectl(["get", "app"])
        #expect(table.stdout.contains("my-app") && table.stdout.contains("running"), "\(table.stdout)")

        // SIGTERM: the controller finishes, releases the Lease, and exits 0.
        controller.terminate()
        try await offCooperativePool { controller.waitUntilExit() }
        #expect(controller.terminationReason == .exit && controller.terminationStatus == 0,
                "\((try? String(contentsOf: logs, encoding: .utf8)) ?? "")")
        let holder = try await cluster.kubectl(["get", "lease", "tandem-controller", "-n", "tandem-system", "-o", "jsonpath={.spec.holderIdentity}"])
        #expect(holder.status == 0 && holder.stdout.isEmpty, "the Lease was released: \(holder.output)")
    }

    @Test func anApplicationMovesFromTandemUpToTheControllerAndBack() async throws {
        let cluster = try TestCluster()
        let file = cluster.directory.appendingPathComponent("moving.yaml").path
        try """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: moving, namespace: default}
            spec:
              components:
                - name: web
                  type: worker
                  properties: {image: busybox:1.36}
                  traits:
                    - {type: sidecar, properties: {name: shipper, image: busybox:1.36}}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let up = try await Tandem.run(["up", file, "--kubeconfig", cluster.kubeconfig, "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        let uid = try await cluster.kubectl(["get", "deployment", "web", "-o", "jsonpath={.metadata.uid}"]).stdout
        #expect(try await cluster.kubectl(["get", "secret", "tandem-moving"]).status == 0, "tandem up's ApplySet parent")

        // To the controller: kubectl apply the same Application; its objects are adopted, not re-created.
        let install = try await Tandem.run(["install"])
        try #require(try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: install.stdout).status == 0)
        let (controller, _) = try Self.startController(cluster)
        defer { if controller.isRunning { controller.terminate() } }
        try #require(try await cluster.kubectl(["apply", "--server-side", "-f", file]).status == 0)
        // kubectl watches the Application until its status says running.
        let running = try await cluster.kubectl(["wait", "app/moving", "--for=jsonpath={.status.status}=running", "--timeout=20s"])
        #expect(running.status == 0, "\(running.output)")
        #expect(try await cluster.kubectl(["get", "deployment", "web", "-o", "jsonpath={.metadata.uid}"]).stdout == uid)
        #expect(try await cluster.kubectl(["get", "secret", "tandem-moving"]).status != 0, "the Application object is the parent now")
        let refused = try await Tandem.run(["up", file, "--kubeconfig", cluster.kubeconfig])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is managed by the tandem controller"), "\(refused.stderr)")
        let status = try await Tandem.run(["status", "moving", "--kubeconfig", cluster.kubeconfig])
        #expect(status.status == 0 && status.stdout.contains("managed by the tandem controller): running"), "\(status.output)")

        // And back, as the refusal says: orphan, delete the Application, tandem up --take-over.
        try #require(try await cluster.kubectl(["annotate", "application", "moving", "tandem.oam.dev/on-delete=orphan"]).status == 0)
        try #require(try await cluster.kubectl(["delete", "application", "moving", "--wait=true"]).status == 0)
        #expect(try await cluster.kubectl(["get", "deployment", "web", "-o", "jsonpath={.metadata.uid}"]).stdout == uid)
        let back = try await Tandem.run(["up", file, "--kubeconfig", cluster.kubeconfig, "--take-over", "--timeout", "60s"])
        #expect(back.status == 0, "\(back.output)")
        #expect(try await cluster.kubectl(["get", "deployment", "web", "-o", "jsonpath={.metadata.uid}"]).stdout == uid)
        #expect(try await cluster.kubectl(["get", "secret", "tandem-moving"]).status == 0)
        controller.terminate()
        try await offCooperativePool { controller.waitUntilExit() }
    }

    /// `tandem controller` against `cluster`, as a process; its log goes to the returned file
    /// (a pipe nobody reads would fill and stop it).
    static func startController(_ cluster: TestCluster) throws -> (Process, URL) {
        let controller = Process()
        controller.executableURL = Tandem.executable
        controller.arguments = ["controller", "--kubeconfig", cluster.kubeconfig, "--metrics-port", "0", "--lease-namespace", "tandem-system"]
        controller.environment = ProcessInfo.processInfo.environment.merging(["HOME": cluster.directory.path]) { $1 }
        let log = cluster.directory.appendingPathComponent("controller-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        controller.standardError = try FileHandle(forWritingTo: log)
        controller.standardOutput = FileHandle.nullDevice
        try controller.run()
        return (controller, log)
    }
}

/// `tandem rollback` of an Application the controller manages writes the revision's spec back;
/// the controller delivers it as a new revision, which kubectl sees in the status.
@Suite(.serialized, Kubectl.isNeeded) struct ControllerRollbackTests {
    static func application(image: String) -> String {
        """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: rolling, namespace: default}
        spec:
          components:
            - {name: web, type: worker, properties: {image: "\(image)"}}
        """
    }

    @Test func rollbackWritesTheSpecBackAndTheControllerDeliversIt() async throws {
        let cluster = try TestCluster()
        let install = try await Tandem.run(["install"])
        try #require(try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: install.stdout).status == 0)
        let (controller, log) = try ControllerProcessTests.startController(cluster)
        defer { if controller.isRunning { controller.terminate() } }
        func wait(revision: Int) async throws -> ProcessResult {
            try await cluster.kubectl(["wait", "app/rolling", "--for=jsonpath={.status.latestRevision.revision}=\(revision)", "--timeout=20s"])
        }
        let applied = try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: Self.application(image: "busybox:1.36"))
        try #require(applied.status == 0, "\(applied.output)")
        #expect(try await wait(revision: 1).status == 0, "\((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        try #require(try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: Self.application(image: "busybox:1.37")).status == 0)
        #expect(try await wait(revision: 2).status == 0)

        let rollback = try await Tandem.run(["rollback", "rolling", "--kubeconfig", cluster.kubeconfig])
        #expect(rollback.status == 0, "\(rollback.output)")
        #expect(rollback.stdout.contains("the spec of rolling-v1 is written back to the Application"), "\(rollback.stdout)")
        #expect(try await wait(revision: 3).status == 0)
        let image = try await cluster.kubectl(["wait", "deployment/web", "--for=jsonpath={.spec.template.spec.containers[0].image}=busybox:1.36",
                                               "--timeout=20s"])
        #expect(image.status == 0, "\(image.output)")
        let listed = try await Tandem.run(["revisions", "rolling", "-o", "json", "--kubeconfig", cluster.kubeconfig])
        let revisions = try JSONReader().read(listed.stdout)["revisions"]?.array ?? []
        #expect(revisions.last?["name"] == "rolling-v3" && revisions.last?["restores"] == 1, "\(listed.output)")
        let owners = try await cluster.kubectl(["get", "apprev", "rolling-v3", "-o", "jsonpath={.metadata.ownerReferences[0].kind}"])
        #expect(owners.stdout == "Application", "\(owners.output)")
        controller.terminate()
        try await offCooperativePool { controller.waitUntilExit() }
    }
}
