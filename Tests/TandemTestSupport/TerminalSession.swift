import Foundation
import TandemJSON

/// A program run on a pseudo-terminal, as a person at a terminal runs it (Tests/pty/
/// terminal_session.py, on Python's `pty` and `termios`): each text typed once the output holds
/// what precedes it, then the program's end.
public struct TerminalSession: Sendable {
    /// The program's exit code.
    public var status: Int
    /// Everything the terminal showed.
    public var output: String
    /// Whether the terminal was raw (no local echo) once the first awaited text had come.
    public var wasRaw: Bool
    /// Whether the terminal's settings after the program are those it had before.
    public var restored: Bool

    static let script = PackagePaths.root.appendingPathComponent("Tests/pty/terminal_session.py").path

    /// Runs `command` on a terminal, typing each `send` after its `until` has shown.
    public static func run(_ command: [String], steps: [(until: String, send: String)], environment: [String: String] = [:]) async throws
        -> TerminalSession {
        var arguments = [PythonTools.python, script]
        for step in steps { arguments += ["--until", step.until, "--send", step.send] }
        let words = arguments + ["--"] + command
        let result = try await offCooperativePool {
            try runProcess(words, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        }
        guard result.status == 0, let json = try? JSONReader().read(result.stdout) else {
            throw TestSupportError("the terminal session did not run: \(result.output)")
        }
        return TerminalSession(status: json["status"]?.int ?? -1, output: json["output"]?.string ?? "", wasRaw: json["raw"]?.bool ?? false,
                               restored: json["restored"]?.bool ?? false)
    }
}
