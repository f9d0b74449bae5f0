import Foundation
import Synchronization

/// The containers' logs the `pods/log` subresource serves: lines the test writes
/// (``KubeTestServer/appendLog(namespace:pod:container:_:)``) to a container's current run, the
/// log of its previous run once it restarts, and the followers (`follow=true`) that get new lines
/// as they come. It watches pods as the kubelet would know them: a container whose restartCount
/// grows starts a new log (its followers' streams end), a deleted pod's logs go.
final class PodLogs: Sendable {
    struct Key: Hashable, Sendable {
        var namespace: String
        var pod: String
        var container: String
    }

    struct Line: Sendable {
        var time: Date
        var text: String
    }

    /// What a follower is told: a new line, or that the container's run ended.
    enum Event: Sendable {
        case line(Line)
        case end
    }

    private struct State {
        var current: [Key: [Line]] = [:]
        var previous: [Key: [Line]] = [:]
        var followers: [Int: (key: Key, deliver: @Sendable (Event) -> Void)] = [:]
        var nextID = 0
        /// The restart count last seen of each container.
        var runs: [Key: Int] = [:]
        var lastTime = Date.distantPast
    }

    private let state = Mutex(State())

    func append(_ key: Key, _ text: String, time: Date = Date()) {
        let (line, followers) = state.withLock { state in
            // Lines written one after the other keep their order in time, to the microsecond.
            let line = Line(time: max(time, state.lastTime.addingTimeInterval(0.000_001)), text: text)
            state.lastTime = line.time
            state.current[key, default: []].append(line)
            return (line, state.followers.values.filter { $0.key == key }.map(\.deliver))
        }
        for deliver in followers { deliver(.line(line)) }
    }

    /// The container restarted: its log becomes the previous run's, and its followers end.
    private static func restart(_ key: Key, _ state: inout State) -> [@Sendable (Event) -> Void] {
        state.previous[key] = state.current[key] ?? []
        state.current[key] = []
        return endFollowers(of: key, &state)
    }

    private static func endFollowers(of key: Key, _ state: inout State) -> [@Sendable (Event) -> Void] {
        let ending = state.followers.filter { $0.value.key == key }
        for id in ending.keys { state.followers[id] = nil }
        return ending.values.map(\.deliver)
    }

    /// Whether the container has run before (`previous=true` has something to show).
    func hasPrevious(_ key: Key) -> Bool { state.withLock { $0.previous[key] != nil } }

    func lines(_ key: Key, previous: Bool) -> [Line] {
        state.withLock { (previous ? $0.previous[key] : $0.current[key]) ?? [] }
    }

    /// The lines so far, and every later one to `deliver` until ``unfollow(_:)``; atomically, so
    /// that no line is missed or sent twice.
    func follow(_ key: Key, deliver: @escaping @Sendable (Event) -> Void) -> (id: Int, lines: [Line]) {
        state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.followers[id] = (key, deliver)
            return (id, state.current[key] ?? [])
        }
    }

    func unfollow(_ id: Int) {
        _ = state.withLock { $0.followers.removeValue(forKey: id) }
    }
}

extension PodLogs: ChangeListener {
    /// Called under the store's lock: only this object's own state changes, and followers are
    /// told through their connections' event loops.
    func deliver(_ event: ChangeEvent) {
        guard event.key.resource == GroupResource(group: "", resource: "pods") else { return }
        let namespace = event.key.namespace, pod = event.key.name
        let statuses = (event.object[path: ["status", "initContainerStatuses"]]?.array ?? [])
            + (event.object[path: ["status", "containerStatuses"]]?.array ?? [])
        let ended = state.withLock { state -> [@Sendable (Event) -> Void] in
            if event.kind == .deleted {
                let keys = Set(state.current.keys).union(state.followers.values.map(\.key)).filter { $0.namespace == namespace && $0.pod == pod }
                var ended: [@Sendable (Event) -> Void] = []
                for key in keys {
                    ended += Self.endFollowers(of: key, &state)
                    state.current[key] = nil
                    state.previous[key] = nil
                    state.runs[key] = nil
                }
                return ended
            }
            var ended: [@Sendable (Event) -> Void] = []
            for status in statuses {
                guard let container = status["name"]?.string else { continue }
                let key = Key(namespace: namespace, pod: pod, container: container)
                let run = status["restartCount"]?.int ?? 0
                if let seen = state.runs[key], run > seen { ended += Self.restart(key, &state) }
                state.runs[key] = run
            }
            return ended
        }
        for deliver in ended { deliver(.end) }
    }
}

/// A `pods/log` request: which container, which run, and which of its lines.
struct LogRequest: Sendable {
    var key: PodLogs.Key
    var previous: Bool
    var follow: Bool
    var tailLines: Int?
    var sinceSeconds: Int?
    var timestamps: Bool

    /// The lines to send of `lines`, as the kubelet selects them, formatted.
    func select(_ lines: [PodLogs.Line], now: Date = Date()) -> [UInt8] {
        var chosen = lines[...]
        if let sinceSeconds { chosen = chosen.filter { now.timeIntervalSince($0.time) <= Double(sinceSeconds) }[...] }
        if let tailLines { chosen = chosen.suffix(max(0, tailLines)) }
        return chosen.flatMap(format)
    }

    /// `TEXT\n`, or with `timestamps=true` `2026-12-07T05:00:00.123456789Z TEXT\n` (RFC 3339 with
    /// nanoseconds, as the kubelet writes it: lines a microsecond apart keep their order).
    func format(_ line: PodLogs.Line) -> [UInt8] {
        guard timestamps else { return Array((line.text + "\n").utf8) }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let seconds = line.time.timeIntervalSince1970.rounded(.down)
        let nanoseconds = Int(((line.time.timeIntervalSince1970 - seconds) * 1e9).rounded(.down))
        let padded = String(repeating: "0", count: 9 - String(nanoseconds).count) + String(nanoseconds)
        let whole = formatter.string(from: Date(timeIntervalSince1970: seconds)).dropLast()  // without the Z
        return Array((whole + "." + padded + "Z " + line.text + "\n").utf8)
    }
}
