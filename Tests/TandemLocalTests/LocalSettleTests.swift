import Foundation
import TandemTestSupport
import Testing

/// `up --local` calls an application ready only once it has stayed up for a probe period: a
/// container that exits or restarts in that window fails `up`, with its exit code and last
/// lines; in the foreground a later crash is a status line, not only log lines.
@Suite(.serialized, .enabled(if: LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason))
struct LocalSettleTests {
    typealias Harness = LocalRuntimeHarness

    @Test func aSidecarThatExitsASecondAfterStartingFailsUpWithItsExitCodeAndLastLines() throws {
        let harness = try Harness("e2e-settle")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-settle", """
                - name: web
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sleep", "3600"]
                  traits:
                    - type: sidecar
                      properties:
                        name: flaky
                        image: busybox:1.36
                        cmd: ["sh", "-c", "echo cannot reach the database; sleep 1; exit 3"]
            """))
        let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        #expect(up.status == 2, "\(up.output)")
        #expect(!up.stdout.contains("is ready"), "\(up.stdout)")
        #expect(up.stderr.contains("sidecar 'flaky' in pod web-0 exited (Error, exit code 3"), "\(up.stderr)")
        #expect(up.stderr.contains("cannot reach the database"), "the last lines: \(up.stderr)")
        #expect(try harness.leftovers().isEmpty)
        #expect(harness.supervisors().isEmpty)
    }

    @Test func inTheForegroundACrashIsAStatusLine() throws {
        let harness = try Harness("e2e-crashline")
        defer { harness.cleanUp() }
        // The container crashes when the test says so (a file appears), once up has said ready.
        let signal = harness.directory.appendingPathComponent("signal").path
        try FileManager.default.createDirectory(atPath: signal, withIntermediateDirectories: true)
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-crashline", """
                - name: app
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sh", "-c", "echo working; while [ ! -f /signal/crash ]; do sleep 0.2; done; rm /signal/crash; exit 7"]
                    volumeMounts:
                      hostPath: [{name: signal, path: \(signal), mountPath: /signal}]
            """))
        let process = Process()
        process.executableURL = Tandem.executable
        process.arguments = ["up", "--local", file, "--timeout", "60s"]
        process.environment = ProcessInfo.processInfo.environment.merging(harness.environment) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        var text = ""
        let expected = "tandem: application e2e-crashline: container 'app' in pod app-0 exited (Error, exit code 7"
        var signalled = false
        while !text.contains(expected) {
            let chunk = output.fileHandleForReading.availableDataRetryingInterrupts()
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if !signalled, text.contains("is ready") {
                signalled = FileManager.default.createFile(atPath: "\(signal)/crash", contents: nil)
            }
        }
        kill(process.processIdentifier, SIGINT)
        text += String(decoding: output.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.contains("is ready"), "\(text)")
        #expect(text.contains(expected), "\(text)")
        #expect(try harness.leftovers().isEmpty)
    }
}
