import Foundation
import TandemTestSupport
import Testing

/// `exec --local -it` as a person runs it, on a terminal, in a container on the real podman.
@Suite(.serialized, .enabled(if: LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason))
struct LocalExecTerminalTests {
    typealias Harness = LocalRuntimeHarness

    @Test func execItGivesAShellOnATerminalAndRestoresIt() async throws {
        let harness = try Harness("d2-tty")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("d2-tty", """
                - name: box
                  type: worker
                  properties: {image: busybox:1.36, cmd: ["sleep", "3600"]}
            """))
        let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")

        // The shell computes what it prints: the output is the container's, not the typed line's echo.
        let session = try await TerminalSession.run([Tandem.executable.path, "exec", "--local", "d2-tty", "-it", "--", "sh"],
                                                    steps: [("# ", "echo typed-$((6*7))\\r"), ("typed-42", "exit 5\\r")],
                                                    environment: harness.environment)
        #expect(session.output.contains("typed-42"), "\(session.output)")
        #expect(session.status == 5, "the shell's exit code: \(session.output)")
        #expect(session.wasRaw, "keys go to the container's terminal as typed")
        #expect(session.restored, "the terminal's settings are back after tandem")
    }
}
