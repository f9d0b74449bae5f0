import Foundation

/// Shows progress as it changes. On a terminal, one live line per object, redrawn in place;
/// otherwise (or with NO_COLOR, or TERM=dumb) a timestamped line whenever an object's line
/// changes, so that logs stay readable.
final class ProgressDisplay: @unchecked Sendable {
    private let live: Bool
    private let lock = NSLock()
    private var drawn = 0
    private var previous: [String: String] = [:]
    private let start = Date()

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        live = isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    /// Replaces what is shown with `lines`.
    func show(_ lines: [String]) {
        lock.lock()
        defer { lock.unlock() }
        if live {
            var text = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
            for line in lines { text += "\u{1B}[2K\r\(line)\n" }
            // Lines that are no longer there are cleared.
            if drawn > lines.count { text += String(repeating: "\u{1B}[2K\n", count: drawn - lines.count) + "\u{1B}[\(drawn - lines.count)A" }
            drawn = lines.count
            Output.standardOutput(text)
        } else {
            var text = ""
            for line in lines {
                let key = String(line.prefix { $0 != " " })
                guard previous[key] != line else { continue }
                previous[key] = line
                text += "\(Self.clock()) \(line)\n"
            }
            if !text.isEmpty { Output.standardOutput(text) }
        }
    }

    /// A line that stays (an object applied, a result), above the live lines.
    func note(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        if live, drawn > 0 {
            Output.standardOutput("\u{1B}[\(drawn)A\u{1B}[J")
            drawn = 0
        }
        Output.standardOutput(line + "\n")
    }

    /// Seconds since the display started, for the closing line.
    var elapsed: String { String(format: "%.1fs", Date().timeIntervalSince(start)) }

    static func clock() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date())
    }
}
