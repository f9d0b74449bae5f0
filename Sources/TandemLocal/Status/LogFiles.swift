import Foundation

/// The containers' logs, which podman writes in the Kubernetes format (`TIME STREAM P|F TEXT`)
/// to files in the state folder: read whole, from the end, or followed as they grow, across
/// restarts.
public struct LogSource: Sendable, Hashable {
    /// `component/container`, or `pod/container` when the component has several pods.
    public var prefix: String
    public var pod: String
    public var container: String
    public var file: String
}

public struct LogLine: Sendable, Hashable {
    public var time: String
    public var text: String
}

public enum LogFiles {
    /// Every container's log of a plan, init containers first.
    public static func sources(_ plan: LocalPlan, state: StateDirectory) -> [LogSource] {
        let arguments = PodmanArguments(plan: plan, stateDirectory: state.path)
        let podsPerComponent = Dictionary(grouping: plan.pods, by: \.component).mapValues(\.count)
        return plan.pods.flatMap { pod in
            pod.allContainers.map { container in
                let owner = (podsPerComponent[pod.component] ?? 1) > 1 ? pod.name : pod.component
                return LogSource(prefix: "\(owner)/\(container.name)", pod: pod.name, container: container.name,
                                 file: arguments.logFile(container))
            }
        }
    }

    /// Splits what was read into whole lines (a partial `P` line joins the next); the bytes of
    /// an unfinished last line are left in `pending`.
    public static func parse(_ bytes: [UInt8], pending: inout [UInt8], partial: inout String) -> [LogLine] {
        pending += bytes
        var lines: [LogLine] = []
        var start = pending.startIndex
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: pending[start..<newline], as: UTF8.self)
            start = newline + 1
            let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count >= 3 else { continue }
            let text = fields.count == 4 ? String(fields[3]) : ""
            if fields[2] == "P" {
                partial += text
                continue
            }
            lines.append(LogLine(time: String(fields[0]), text: partial + text))
            partial = ""
        }
        pending.removeFirst(start - pending.startIndex)
        return lines
    }

    /// The whole log of a source (its last `tail` lines, when given).
    public static func read(_ source: LogSource, tail: Int?) -> [LogLine] {
        guard let data = FileManager.default.contents(atPath: source.file) else { return [] }
        var pending: [UInt8] = [], partial = ""
        let lines = parse([UInt8](data), pending: &pending, partial: &partial)
        guard let tail else { return lines }
        return Array(lines.suffix(max(0, tail)))
    }
}

/// Follows log files as they grow, from where it is told to start, calling back with each new
/// line; new files are picked up when their container first writes.
public final class LogFollower: @unchecked Sendable {
    private var offsets: [String: UInt64] = [:]
    private var pending: [String: [UInt8]] = [:]
    private var partial: [String: String] = [:]
    private var sources: [LogSource]

    /// `fromEnd`: start after what the files hold now.
    public init(sources: [LogSource], fromEnd: Bool) {
        self.sources = sources
        if fromEnd {
            for source in sources {
                let attributes = try? FileManager.default.attributesOfItem(atPath: source.file)
                offsets[source.file] = (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
            }
        }
    }

    /// Follows `more` too, from their start, when it does not yet: the containers of the pods an
    /// update brought.
    public func add(_ more: [LogSource]) {
        let followed = Set(sources.map(\.file))
        sources += more.filter { !followed.contains($0.file) }
    }

    /// Reads what was added since the last call, lines of all sources in time order.
    public func poll() -> [(LogSource, LogLine)] {
        var lines: [(LogSource, LogLine)] = []
        for source in sources {
            guard let handle = FileHandle(forReadingAtPath: source.file) else { continue }
            defer { try? handle.close() }
            let offset = offsets[source.file] ?? 0
            let size = (try? handle.seekToEnd()) ?? 0
            // A file that shrank was replaced: start it again.
            let from = size < offset ? 0 : offset
            guard size > from else { continue }
            try? handle.seek(toOffset: from)
            guard let data = try? handle.read(upToCount: Int(size - from)) else { continue }
            offsets[source.file] = from + UInt64(data.count)
            var buffer = pending[source.file] ?? []
            var carried = partial[source.file] ?? ""
            for line in LogFiles.parse([UInt8](data), pending: &buffer, partial: &carried) { lines.append((source, line)) }
            pending[source.file] = buffer
            partial[source.file] = carried
        }
        return lines.sorted { $0.1.time < $1.1.time }
    }
}
