import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// `tandem install` and `tandem controller` as an operator runs them: the manifests judged by
/// the Kubernetes schemas and applied with kubectl, the controller as a process, stopped by SIGTERM.
@Suite(.serialized) struct ControllerProcessTests {
    @Test(.enabled(if: PythonTools.kubernetesValidate != nil || PythonTools.required))
    func installManifestsPassStrictValidation() throws {
        let install = try Tandem.run(["install", "--allow-rbac"])
        try #require(install.status == 0, "\(install.output)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("install-\(UUID().uuidString).yaml")
        try install.stdout.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let validation = try PythonTools.kubernetesValidate(["--strict", "--quiet", "-k", "1.31.0", file.path])
        #expect(validation.status == 0, "\(validation.output)")
        // Least privilege: no wildcard anywhere in the RBAC.
        #expect(!install.stdout.contains("'*'") && !install.stdout.contains("\"*\"") && !install.stdout.contains("- \"*\""))
    }

    @Test func installedWithKubectlTheSeedApplicationRuns() throws {
        let cluster = try TestCluster()
        let install = try Tandem.run(["install"])
        try #require(install.status == 0)
        let applied = try cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: install.stdout)
        try #require(applied.status == 0, "\(applied.output)")

        let controller = Process()
        controller.executableURL = Tandem.executable
        controller.arguments = ["controller", "--kubeconfig", cluster.kubeconfig, "--metrics-port", "0", "--lease-namespace", "tandem-system"]
        controller.environment = ProcessInfo.processInfo.environment.merging(["HOME": cluster.directory.path]) { $1 }
        let logs = Pipe()
        controller.standardError = logs
        controller.standardOutput = FileHandle.nullDevice
        try controller.run()
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
        try #require(try cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: references).status == 0)
        let created = try cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: seed)
        try #require(created.status == 0, "\(created.output)")
        var phase = ""
        for _ in 0..<200 where phase != "running" {
            phase = try cluster.kubectl(["get", "app", "my-app", "-o", "jsonpath={.status.status}"]).stdout
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(phase == "running")
        let containers = try cluster.kubectl(["get", "deployment", "my-comp", "-o", "jsonpath={.spec.template.spec.containers[*].name}"])
        #expect(containers.stdout == "my-comp trait-name")
        let table = try cluster.kubectl(["get", "app"])
        #expect(table.stdout.contains("my-app") && table.stdout.contains("running"), "\(table.stdout)")

        // SIGTERM: the controller finishes, releases the Lease, and exits 0.
        controller.terminate()
        controller.waitUntilExit()
        #expect(controller.terminationReason == .exit && controller.terminationStatus == 0,
                "\(String(decoding: logs.fileHandleForReading.availableData, as: UTF8.self))")
        let holder = try cluster.kubectl(["get", "lease", "tandem-controller", "-n", "tandem-system", "-o", "jsonpath={.spec.holderIdentity}"])
        #expect(holder.status == 0 && holder.stdout.isEmpty, "the Lease was released: \(holder.output)")
    }
}
