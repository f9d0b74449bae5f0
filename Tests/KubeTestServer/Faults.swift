import Synchronization

/// A failure to inject into matching requests, for testing a client's retries and recovery.
///
/// ```swift
/// await server.inject(.status(429, retryAfterSeconds: 1, method: "PATCH", path: "/apis/apps/v1"))
/// await server.inject(.dropConnection(path: "/api/v1/namespaces/shop/configmaps", times: 2))
/// await server.inject(.cutWatch(afterEvents: 1, path: "/apis/apps/v1"))
/// await server.inject(.delay(.seconds(2), method: "GET"))
/// ```
public struct Fault: Sendable {
    public enum Action: Sendable {
        /// Answer with a Status of this code (429 TooManyRequests, 500 InternalError, 503
        /// ServiceUnavailable, 504 Timeout, ...); with `retryAfterSeconds`, also a `Retry-After`
        /// header and `details.retryAfterSeconds`.
        case status(code: Int, retryAfterSeconds: Int?)
        /// Close the TCP connection without answering.
        case dropConnection
        /// Let a watch send this many events, then close its connection mid-stream (no final
        /// chunk). Matches watch requests only.
        case cutWatch(afterEvents: Int)
        /// Wait this long, then handle the request normally.
        case delay(Duration)
    }

    /// Which requests a fault applies to; nil fields match anything.
    public struct Match: Sendable {
        public var method: String?
        public var pathPrefix: String?
        public var pathContains: String?

        public init(method: String? = nil, pathPrefix: String? = nil, pathContains: String? = nil) {
            self.method = method
            self.pathPrefix = pathPrefix
            self.pathContains = pathContains
        }

        func matches(method: String, path: String) -> Bool {
            if let expected = self.method, expected.uppercased() != method { return false }
            if let pathPrefix, !path.hasPrefix(pathPrefix) { return false }
            if let pathContains, !path.contains(pathContains) { return false }
            return true
        }
    }

    public var action: Action
    public var match: Match
    /// How many requests it applies to; nil: every matching request until the server stops.
    public var times: Int?

    public init(_ action: Action, match: Match = Match(), times: Int? = 1) {
        self.action = action
        self.match = match
        self.times = times
    }

    /// A Status answer; `path` matches as a prefix of the request path (no query).
    public static func status(_ code: Int, retryAfterSeconds: Int? = nil, method: String? = nil, path: String? = nil,
                              times: Int? = 1) -> Fault {
        Fault(.status(code: code, retryAfterSeconds: retryAfterSeconds), match: Match(method: method, pathPrefix: path), times: times)
    }

    public static func dropConnection(method: String? = nil, path: String? = nil, times: Int? = 1) -> Fault {
        Fault(.dropConnection, match: Match(method: method, pathPrefix: path), times: times)
    }

    public static func cutWatch(afterEvents: Int, path: String? = nil, times: Int? = 1) -> Fault {
        Fault(.cutWatch(afterEvents: afterEvents), match: Match(method: "GET", pathPrefix: path), times: times)
    }

    public static func delay(_ duration: Duration, method: String? = nil, path: String? = nil, times: Int? = 1) -> Fault {
        Fault(.delay(duration), match: Match(method: method, pathPrefix: path), times: times)
    }
}

/// The injected faults still waiting for requests.
final class FaultBook: Sendable {
    private let faults = Mutex<[Fault]>([])

    func add(_ fault: Fault) {
        faults.withLock { $0.append(fault) }
    }

    func clear() {
        faults.withLock { $0.removeAll() }
    }

    /// The action of the first fault matching this request, using up one of its times.
    func take(method: String, path: String, isWatch: Bool) -> Fault.Action? {
        faults.withLock { faults in
            for index in faults.indices where faults[index].match.matches(method: method, path: path) {
                if case .cutWatch = faults[index].action, !isWatch { continue }
                let action = faults[index].action
                if let times = faults[index].times {
                    if times <= 1 { faults.remove(at: index) } else { faults[index].times = times - 1 }
                }
                return action
            }
            return nil
        }
    }
}
