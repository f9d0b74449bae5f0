import Foundation
import KubeClient
import TandemJSON
import TandemTestSupport
import Testing

/// The workflow of an Application as `tandem up` runs it in the foreground, against the API test
/// server: KubeVela's staging → approval → notification → production example, suspended and
/// resumed; a failed step and a step's timeout reported with the step's name and message.
@Suite(.serialized) struct WorkflowUpEndToEndTests {
    static let example = PackagePaths.root.appendingPathComponent("examples/workflow/staging-approval-production.yaml").path

    @Test func stagingApprovalNotificationProduction() async throws {
        let cluster = try TestCluster()
        let receiver = try NotificationReceiver()
        for namespace in ["staging", "production"] {
            let created = try await cluster.kubectl(["create", "namespace", namespace])
            try #require(created.status == 0, "\(created.output)")
        }
        let secret = try await cluster.kubectl(["create", "secret", "generic", "team-chat", "-n", "default", "--from-literal=url=\(receiver.url)"])
        try #require(secret.status == 0, "\(secret.output)")

        // Stops at the approval, saying how to go on; production is not touched.
        let up = try await cluster.tandem(["up", Self.example, "--timeout", "60s"])
        #expect(up.status == 0, "\(up.output)")
        #expect(up.stdout.contains("step deploy-staging (deploy) started"), "\(up.stdout)")
        #expect(up.stdout.contains("step deploy-staging succeeded"), "\(up.stdout)")
        #expect(up.stdout.contains("step approval suspended: check https://staging.example.com, then resume"), "\(up.stdout)")
        #expect(up.stdout.contains("the workflow is suspended at step approval; to continue: tandem workflow resume shop -n default"),
                "\(up.stdout)")
        #expect(try await cluster.kubectl(["get", "deployment", "web", "-n", "staging"]).status == 0)
        #expect(try await cluster.kubectl(["get", "deployment", "web", "-n", "production"]).status != 0)
        #expect(receiver.received().isEmpty)

        let status = try await cluster.tandem(["workflow", "status", "shop"])
        #expect(status.status == 0, "\(status.output)")
        #expect(status.stdout.contains("workflow suspending"), "\(status.stdout)")
        #expect(status.stdout.contains("approval") && status.stdout.contains("suspending"), "\(status.stdout)")

        let overview = try await cluster.tandem(["status", "shop"])
        #expect(overview.stdout.contains("workflow suspending") && overview.stdout.contains("deploy-production"), "\(overview.stdout)")

        // The same spec again: it goes on from where it stands (still waiting for approval).
        let again = try await cluster.tandem(["up", Self.example, "--timeout", "60s"])
        #expect(again.status == 0, "\(again.output)")
        #expect(!again.stdout.contains("step deploy-staging (deploy) started"), "\(again.stdout)")
        #expect(again.stdout.contains("the workflow is suspended at step approval"), "\(again.stdout)")

        // Resumed: the team is told, then production is deployed.
        let resumed = try await cluster.tandem(["workflow", "resume", "shop", "--timeout", "60s"])
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.stdout.contains("step tell-the-team succeeded"), "\(resumed.stdout)")
        #expect(resumed.stdout.contains("step deploy-production succeeded"), "\(resumed.stdout)")
        #expect(resumed.stdout.contains("workflow succeeded"), "\(resumed.stdout)")
        #expect(resumed.stdout.contains("application shop is healthy"), "\(resumed.stdout)")
        #expect(receiver.received().contains { $0.contains("shop is going to production") }, "\(receiver.received())")
        let production = try await cluster.kubectl(["get", "deployment", "web", "-n", "production", "-o", "jsonpath={.spec.replicas}"])
        #expect(production.stdout == "3", "\(production.output)")

        let done = try await cluster.tandem(["workflow", "status", "shop", "-o", "json"])
        let json = try JSONReader().read(done.stdout)
        #expect(json["status"] == "succeeded", "\(done.stdout)")
        #expect(json["steps"]?.array?.compactMap { $0["phase"]?.string } == ["succeeded", "succeeded", "succeeded", "succeeded"], "\(done.stdout)")
    }

    static func application(_ steps: String) -> String {
        """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: flaky}
        spec:
          components:
            - name: app
              type: worker
              properties: {image: busybox:1.36, cmd: ["sh", "-c", "exit 1"]}
          workflow:
            steps:
        \(steps)
        """
    }

    @Test func aFailedStepIsReportedWithItsNameAndMessage() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("flaky.yaml", Self.application("""
                  - {name: roll-out, type: apply-component, properties: {component: app}}
                  - {name: after, type: suspend}
            """))
        let up = try await cluster.tandem(["up", file, "--timeout", "90s"])
        #expect(up.status == 2, "\(up.output)")
        #expect(up.stderr.contains("application flaky: the workflow failed"), "\(up.stderr)")
        #expect(up.stderr.contains("step roll-out: component 'app'"), "\(up.stderr)")
        #expect(up.stderr.contains("CrashLoopBackOff"), "\(up.stderr)")
        let status = try await cluster.tandem(["workflow", "status", "flaky", "-o", "json"])
        let json = try JSONReader().read(status.stdout)
        // As KubeVela's executor: a step failed for good terminates the workflow.
        #expect(json["status"] == "terminated", "\(status.stdout)")
        #expect(json["steps"]?.array?.first?["phase"] == "failed")
    }

    @Test func aStepTimeoutIsReportedWithItsName() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("flaky.yaml", Self.application("""
                  - {name: wait-for-someone, type: suspend, timeout: 2s}
                  - {name: roll-out, type: apply-component, properties: {component: app}}
            """))
        let up = try await cluster.tandem(["up", file, "--timeout", "60s"])
        #expect(up.status == 2, "\(up.output)")
        #expect(up.stderr.contains("application flaky: the workflow failed"), "\(up.stderr)")
        #expect(up.stderr.contains("step wait-for-someone"), "\(up.stderr)")
        let status = try await cluster.tandem(["workflow", "status", "flaky", "-o", "json"])
        let json = try JSONReader().read(status.stdout)
        #expect(json["steps"]?.array?.first?["reason"] == "Timeout", "\(status.stdout)")
        #expect(try await cluster.kubectl(["get", "deployment", "app", "-n", "default"]).status != 0, "a step after the timeout ran")
    }
}

/// A local HTTP server that answers every POST with 200 and keeps the bodies: the team chat a
/// notification step posts to. A Python child process, so that it needs nothing beyond the tests' tools.
final class NotificationReceiver: @unchecked Sendable {
    let url: String
    private let process = Process()
    private let input = Pipe()
    private let log: URL

    static let script = """
        import http.server, os, sys, threading
        log = sys.argv[1]
        # Ends when the test closes standard input (signals may be blocked in a child of the tests).
        threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
                with open(log, 'ab') as f: f.write(body + b'\\n')
                self.send_response(200); self.send_header('Content-Length', '2'); self.end_headers(); self.wfile.write(b'ok')
            def log_message(self, *args): pass
        server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """

    init() throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-receiver-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [PythonTools.python, "-c", Self.script, log.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw TestSupportError("the notification receiver did not start")
        }
        url = "http://127.0.0.1:\(port)/hook"
    }

    /// The bodies received so far, one a line.
    func received() -> [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: log)
    }
}
