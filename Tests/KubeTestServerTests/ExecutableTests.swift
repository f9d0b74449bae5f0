import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// The `kube-test-server` executable next to the test bundle (built with the tests).
enum ServerExecutable {
    static let path: String? = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = directory.appendingPathComponent("kube-test-server").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }()
}

@Suite(Judges.needs(ServerExecutable.path != nil, "the kube-test-server executable is not built (swift build)"),
       Judges.needs(Tools.hasCurl, "/usr/bin/curl is not installed"))
struct ExecutableTests {
    @Test func servesUntilTerminated() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kts-exe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(ServerExecutable.path))
        process.arguments = ["--port", "0", "--token", "t0ken=alice", "--version", "v1.32.1", "--kubeconfig-out", kubeconfig]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let firstLine: String = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var line = Data()
                while let byte = try? output.fileHandleForReading.read(upToCount: 1), let first = byte.first, first != 0x0A {
                    line.append(first)
                }
                continuation.resume(returning: String(decoding: line, as: UTF8.self))
            }
        }
        #expect(firstLine.hasPrefix("listening on http://127.0.0.1:"), "\(firstLine)")
        let url = String(firstLine.dropFirst("listening on ".count))

        let version = try await run([Tools.curl, "-s", "-H", "Authorization: Bearer t0ken", url + "/version"])
        #expect(json(version.stdout)["gitVersion"] == "v1.32.1")
        let refused = try await run([Tools.curl, "-s", "-o", "/dev/null", "-w", "%{http_code}", url + "/version"])
        #expect(refused.stdout == "401")
        // The kubeconfig carries the token (kubectl sends tokens over HTTPS only; Tandem's client may over HTTP).
        let config = try String(contentsOfFile: kubeconfig, encoding: .utf8)
        #expect(config.contains("server: \"\(url)\"") && config.contains("token: \"t0ken\""))

        process.terminate()
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }
        }
        #expect(status == 0)
    }
}
