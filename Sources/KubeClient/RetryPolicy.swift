/// When and how long to wait before asking again: 429 and 5xx answers, and connections that
/// broke, with exponential back-off that honours the server's `Retry-After`, bounded.
public struct RetryPolicy: Sendable {
    public var attempts: Int
    public var initialDelay: Duration
    public var maximumDelay: Duration
    /// A `Retry-After` longer than this is cut to it: a wait is never unbounded.
    public var maximumRetryAfter: Duration

    public init(attempts: Int = 5, initialDelay: Duration = .milliseconds(200), maximumDelay: Duration = .seconds(5),
                maximumRetryAfter: Duration = .seconds(30)) {
        self.attempts = attempts
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.maximumRetryAfter = maximumRetryAfter
    }

    public static let none = RetryPolicy(attempts: 1)

    /// Answers worth asking again: throttled, or a server-side failure that may pass.
    public static func isRetryable(status: Int) -> Bool {
        status == 429 || status == 500 || status == 502 || status == 503 || status == 504
    }

    /// The wait before attempt `attempt + 1` (0-based), given the server's hint in seconds.
    public func delay(after attempt: Int, retryAfter: Int?) -> Duration {
        if let retryAfter, retryAfter > 0 { return min(.seconds(retryAfter), maximumRetryAfter) }
        var delay = initialDelay
        for _ in 0..<attempt { delay = min(delay * 2, maximumDelay) }
        // Jitter so that concurrent requests throttled together do not return together.
        return delay + .milliseconds(Int.random(in: 0...Int(delay.seconds * 250)))
    }
}
