/// kstatus's statuses, as Tandem reports them.
public enum HealthStatus: String, Sendable, Hashable, Comparable {
    case current = "Current"
    case inProgress = "InProgress"
    case failed = "Failed"
    case terminating = "Terminating"
    case notFound = "NotFound"
    case unknown = "Unknown"

    /// Worse is greater: an application is as healthy as its least healthy part.
    var severity: Int {
        switch self {
        case .current: return 0
        case .inProgress: return 2
        case .terminating: return 1
        case .unknown: return 3
        case .notFound: return 4
        case .failed: return 5
        }
    }

    public static func < (lhs: HealthStatus, rhs: HealthStatus) -> Bool { lhs.severity < rhs.severity }

    /// `healthy`, `progressing`, `failed`…: what a person reads.
    public var word: String {
        switch self {
        case .current: return "healthy"
        case .inProgress: return "progressing"
        case .failed: return "failed"
        case .terminating: return "terminating"
        case .notFound: return "missing"
        case .unknown: return "unknown"
        }
    }
}

/// A status with the reason and message that explain it.
public struct HealthVerdict: Sendable, Hashable {
    public var status: HealthStatus
    public var reason: String
    public var message: String

    public init(_ status: HealthStatus, reason: String = "", _ message: String) {
        self.status = status
        self.reason = reason
        self.message = message
    }

    static func current(_ message: String) -> HealthVerdict { HealthVerdict(.current, message) }
    static func inProgress(_ reason: String, _ message: String) -> HealthVerdict { HealthVerdict(.inProgress, reason: reason, message) }
    static func failed(_ reason: String, _ message: String) -> HealthVerdict { HealthVerdict(.failed, reason: reason, message) }
}
