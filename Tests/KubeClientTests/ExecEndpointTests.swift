import Foundation
import KubeTestServer
import TandemTestSupport
import Testing

/// The API test server's `pods/NAME/exec` (WebSocket, v5/v4 channel protocols), judged by the
/// real `kubectl exec`: output on the right streams, standard input, exit codes passed through.
@Suite(Kubectl.isNeeded) struct ExecEndpointTests {
    @Test func kubectlExecRunsTheTestsCommandsWithTheirStreamsAndExitCodes() async throws {
        let server = try await KubeTestServer.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        server.handleExec { call in
            switch call.command.first {
            case "echo": return ExecResult(stdout: "\(call.container): " + call.command.dropFirst().joined(separator: " ") + "\n")
            case "cat": return ExecResult(stdout: String(decoding: call.stdin, as: UTF8.self))
            case "fail": return ExecResult(stderr: "failing\n", exitCode: Int(call.command.last ?? "") ?? 1)
            default: return ExecResult(stderr: "no such command\n", exitCode: 127)
            }
        }
        func kubectl(_ arguments: [String], stdin: String? = nil) async throws -> ProcessResult {
            try await offCooperativePool { try Kubectl.run(["--kubeconfig", kubeconfig] + arguments, stdin: stdin) }
        }
        let pod = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"box"},"spec":{"containers":[{"name":"main","image":"box:1"}]}}"#
        try #require(try await kubectl(["apply", "-f", "-"], stdin: pod).status == 0)

        let echo = try await kubectl(["exec", "box", "-c", "main", "--", "echo", "hello", "there"])
        #expect(echo.status == 0, "\(echo.output)")
        #expect(echo.stdout == "main: hello there\n", "\(echo.output)")
        let cat = try await kubectl(["exec", "-i", "box", "--", "cat"], stdin: "line one\nline two\n")
        #expect(cat.stdout == "line one\nline two\n", "\(cat.output)")
        let fail = try await kubectl(["exec", "box", "--", "fail", "7"])
        #expect(fail.status == 7, "\(fail.output)")
        #expect(fail.stderr.contains("failing"), "\(fail.output)")
        try? await server.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func tandemExecRunsInTheComponentsPodAndPassesExitCodesThrough() async throws {
        let server = try await KubeTestServer.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        server.handleExec { call in
            switch call.command.first {
            case "echo": return ExecResult(stdout: "\(call.pod.split(separator: "-").first ?? "")/\(call.container): "
                + call.command.dropFirst().joined(separator: " ") + "\n")
            case "cat": return ExecResult(stdout: String(decoding: call.stdin, as: UTF8.self))
            case "fail": return ExecResult(stderr: "failing\n", exitCode: Int(call.command.last ?? "") ?? 1)
            default: return ExecResult(stderr: "no such command\n", exitCode: 127)
            }
        }
        func tandem(_ arguments: [String], stdin: String? = nil) async throws -> ProcessResult {
            try await offCooperativePool {
                // Before `--`, after which everything is the command's.
                try Tandem.run([arguments[0], "--kubeconfig", kubeconfig] + arguments.dropFirst(), stdin: stdin, environment: ["NO_COLOR": "1", "HOME": directory.path])
            }
        }
        let file = directory.appendingPathComponent("shop.yaml").path
        try StatusViewsEndToEndTests.shop.write(toFile: file, atomically: true, encoding: .utf8)
        let up = try await tandem(["up", file, "--no-wait"])
        try #require(up.status == 0, "\(up.output)")
        let ready = try await offCooperativePool {
            try Kubectl.run(["--kubeconfig", kubeconfig, "wait", "--for=condition=Ready", "pod", "-l", "app.oam.dev/name=shop", "--timeout=30s"])
        }
        try #require(ready.status == 0, "\(ready.output)")

        let first = try await tandem(["exec", "shop", "--", "echo", "hello"])
        #expect(first.status == 0 && first.stdout == "admin/admin: hello\n", "the first component: \(first.output)")
        let sidecar = try await tandem(["exec", "shop", "--component", "web", "-c", "proxy", "--", "echo", "to", "the", "proxy"])
        #expect(sidecar.stdout == "web/proxy: to the proxy\n", "\(sidecar.output)")
        let input = try await tandem(["exec", "shop", "-i", "--", "cat"], stdin: "through standard input\n")
        #expect(input.status == 0 && input.stdout == "through standard input\n", "\(input.output)")
        let failed = try await tandem(["exec", "shop", "--", "fail", "7"])
        #expect(failed.status == 7, "the command's exit code: \(failed.output)")
        #expect(failed.stderr == "failing\n", "\(failed.output)")
        let wrong = try await tandem(["exec", "shop", "--component", "web", "-c", "nope", "--", "true"])
        #expect(wrong.status == 2 && wrong.stderr.contains("has no container nope; its containers: web, proxy"), "\(wrong.output)")
        let missing = try await tandem(["exec", "nothing", "--", "true"])
        #expect(missing.status == 2 && missing.stderr.contains("application nothing is not deployed in namespace default"), "\(missing.output)")
        try? await server.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// `exec -it` as a person runs it, on a terminal: the session's prompt, a line typed and its
    /// output, `exit 5` passed through, the terminal raw meanwhile and restored after.
    @Test func tandemExecItGivesATerminalAndRestoresIt() async throws {
        let server = try await KubeTestServer.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        server.handleExec { call in
            guard call.command.first == "echo" else { return ExecResult(stderr: "no such command\n", exitCode: 127) }
            return ExecResult(stdout: "\(call.container)\(call.tty ? " (terminal)" : ""): " + call.command.dropFirst().joined(separator: " ") + "\n")
        }
        let environment = ["NO_COLOR": "1", "HOME": directory.path]
        let file = directory.appendingPathComponent("shop.yaml").path
        try StatusViewsEndToEndTests.shop.write(toFile: file, atomically: true, encoding: .utf8)
        let up = try await offCooperativePool { try Tandem.run(["up", file, "--no-wait", "--kubeconfig", kubeconfig], environment: environment) }
        try #require(up.status == 0, "\(up.output)")
        let ready = try await offCooperativePool {
            try Kubectl.run(["--kubeconfig", kubeconfig, "wait", "--for=condition=Ready", "pod", "-l", "app.oam.dev/name=shop", "--timeout=30s"])
        }
        try #require(ready.status == 0, "\(ready.output)")

        let session = try await TerminalSession.run(
            [Tandem.executable.path, "exec", "shop", "--component", "web", "-it", "--kubeconfig", kubeconfig, "--", "sh"],
            steps: [("$ ", "echo typed in the terminal\\r"), ("web (terminal): typed in the terminal", "exit 5\\r")],
            environment: environment)
        #expect(session.output.contains("echo typed in the terminal\r\nweb (terminal): typed in the terminal\r\n$ "), "\(session.output)")
        #expect(session.status == 5, "the shell's exit code: \(session.output)")
        #expect(session.wasRaw, "keys go to the remote terminal as typed")
        #expect(session.restored, "the terminal's settings are back after tandem")

        // kubectl exec -it, the judge, sees the same terminal session.
        let pod = try await offCooperativePool {
            try Kubectl.run(["--kubeconfig", kubeconfig, "get", "pods", "-l", "app.oam.dev/component=web", "-o", "jsonpath={.items[0].metadata.name}"])
        }.stdout
        let judge = try await TerminalSession.run(
            [try #require(Kubectl.binary), "--kubeconfig", kubeconfig, "exec", "-it", pod, "-c", "web", "--", "sh"],
            steps: [("$ ", "echo typed in the terminal\\r"), ("web (terminal): typed in the terminal", "exit 5\\r")])
        #expect(judge.status == 5 && judge.restored, "\(judge.output)")
        try? await server.shutdown()
    }
}
