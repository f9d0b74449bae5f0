import Foundation
import KubeTestServer
import TandemTestSupport
import Testing

/// The day-two commands on an application the tandem controller manages (an Application object,
/// no ApplySet Secret): `status --tree`, `--endpoints` and `--watch`, `logs`, `exec` and
/// `port-forward`, against the API test server with `tandem controller` running as a process.
@Suite(.serialized, Kubectl.isNeeded) struct ControllerManagedDayTwoTests {
    @Test func everyDayTwoCommandReachesAControllerManagedApplication() async throws {
        let server = try await KubeTestServer.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-managed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["NO_COLOR": "1", "HOME": directory.path]
        func tandem(_ arguments: [String]) async throws -> ProcessResult {
            try await offCooperativePool {
                // Before `--`, after which everything is the command's.
                try Tandem.run([arguments[0], "--kubeconfig", kubeconfig] + arguments.dropFirst(), environment: environment)
            }
        }
        func kubectl(_ arguments: [String], stdin: String? = nil) async throws -> ProcessResult {
            try await offCooperativePool { try Kubectl.run(["--kubeconfig", kubeconfig] + arguments, stdin: stdin) }
        }
        server.handleExec { call in
            guard call.command.first == "echo" else { return ExecResult(stderr: "no such command\n", exitCode: 127) }
            return ExecResult(stdout: "\(call.pod.split(separator: "-").first ?? "")/\(call.container): "
                + call.command.dropFirst().joined(separator: " ") + "\n")
        }
        let serverPort = server.port
        server.handlePortForward { _, pod, port in pod.hasPrefix("web-") && port == 8080 ? serverPort : nil }

        let install = try await offCooperativePool { try Tandem.run(["install"]) }
        try #require(install.status == 0, "\(install.output)")
        let installed = try await kubectl(["apply", "--server-side", "-f", "-"], stdin: install.stdout)
        try #require(installed.status == 0, "\(installed.output)")
        let controller = try RunningProcess([Tandem.executable.path, "controller", "--kubeconfig", kubeconfig, "--metrics-port", "0",
                                             "--lease-namespace", "tandem-system"], environment: environment)
        let applied = try await kubectl(["apply", "--server-side", "-f", "-"], stdin: StatusViewsEndToEndTests.shop)
        try #require(applied.status == 0, "\(applied.output)")
        let running = try await kubectl(["wait", "app/shop", "--for=jsonpath={.status.status}=running", "--timeout=30s"])
        try #require(running.status == 0, "\(running.output)\n\(controller.errors)")
        #expect(try await kubectl(["get", "secret", "tandem-shop"]).status != 0, "no ApplySet Secret: the Application is the parent")

        let tree = try await tandem(["status", "shop", "--tree"])
        #expect(tree.status == 0, "\(tree.output)")
        let lines = tree.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "application shop (namespace default): healthy", "\(tree.output)")
        #expect(lines.contains("├─ admin (webservice): healthy"), "\(tree.stdout)")
        #expect(lines.contains("│  └─ service/admin (expose trait)  healthy"), "\(tree.stdout)")
        #expect(lines.contains("   ├─ deployment/web  1/1 ready  healthy"), "\(tree.stdout)")
        #expect(lines.contains("   │     └─ proxy [sidecar]  ready"), "\(tree.stdout)")
        #expect(lines.contains("   └─ ingress/web (gateway trait)  healthy"), "\(tree.stdout)")
        #expect(lines.contains("managed by the tandem controller: running"), "\(tree.stdout)")

        let endpoints = try await tandem(["status", "shop", "--endpoints"])
        #expect(endpoints.status == 0, "\(endpoints.output)")
        #expect(endpoints.stdout.contains("http://shop.example.com/"), "\(endpoints.output)")
        #expect(endpoints.stdout.contains("NODE:30080/TCP"), "\(endpoints.output)")

        let exec = try await tandem(["exec", "shop", "--component", "web", "-c", "proxy", "--", "echo", "hello"])
        #expect(exec.status == 0 && exec.stdout == "web/proxy: hello\n", "\(exec.output)")

        let web = try #require(try await kubectl(["get", "pods", "-l", "app.oam.dev/component=web", "-o", "name"]).stdout
            .split(separator: "\n").first.map { String($0.dropFirst("pod/".count)) })
        server.appendLog(namespace: "default", pod: web, container: "web", "GET /1")
        let logs = try await tandem(["logs", "shop", "--component", "web", "-c", "web"])
        #expect(logs.status == 0 && logs.stdout == "GET /1\n", "\(logs.output)")

        let forward = try RunningProcess([Tandem.executable.path, "port-forward", "shop", "--component", "web", "0:8080",
                                          "--kubeconfig", kubeconfig], environment: environment)
        #expect(await forward.awaitOutput { $0.contains("Forwarding from 127.0.0.1:") }, "\(forward.output)\(forward.errors)")
        let port = try #require(forward.output.split(separator: ":").dropFirst().first.flatMap { Int($0.split(separator: " ")[0]) },
                                "\(forward.output)")
        let answer = try await offCooperativePool { try PortForwardEndToEndTests.exchange(port: port, "GET /version HTTP/1.0\r\n\r\n") }
        #expect(answer.contains("gitVersion"), "\(answer)")
        _ = await forward.stop()

        // The watch draws again when the controller's status changes, though no object does:
        // an unknown trait type makes the Application invalid, and its objects stay as they were.
        let watch = try RunningProcess([Tandem.executable.path, "status", "shop", "--tree", "--watch", "--kubeconfig", kubeconfig],
                                       environment: environment)
        #expect(await watch.awaitOutput { $0.contains("managed by the tandem controller: running") }, "\(watch.output)\(watch.errors)")
        let broken = StatusViewsEndToEndTests.shop.replacingOccurrences(of: "type: sidecar", with: "type: no-such-trait")
        let reapplied = try await kubectl(["apply", "--server-side", "-f", "-"], stdin: broken)
        try #require(reapplied.status == 0, "\(reapplied.output)")
        #expect(await watch.awaitOutput { $0.contains("managed by the tandem controller: failed") }, "\(watch.output)\(watch.errors)")
        #expect(watch.output.contains("InvalidApplication"), "the failed condition is shown: \(watch.output)")
        _ = await watch.stop()

        // An Application that no longer renders is described by its ApplySet's members.
        let members = try await tandem(["status", "shop", "--tree"])
        #expect(members.stdout.contains("web (webservice): healthy"), "\(members.output)")
        #expect(members.stdout.contains("deployment/web  1/1 ready  healthy"), "\(members.output)")
        #expect(members.stdout.contains("proxy [sidecar]  ready"), "\(members.output)")
        #expect(members.stdout.contains("service/admin (expose trait)  healthy"), "\(members.output)")
        #expect(members.stdout.contains("managed by the tandem controller: failed"), "\(members.output)")
        _ = await controller.stop()
        try? await server.shutdown()
    }
}
