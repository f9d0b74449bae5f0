import Foundation
import KubeClient

/// Timestamps as Kubernetes writes them (RFC 3339, seconds), as in KubeVela's status.
enum WorkflowTime {
    static func format(_ date: Date) -> String { Timestamps.format(date) }
    static func parse(_ text: String) -> Date? { Timestamps.parse(text) }
}

extension WorkflowTime {
    /// `date` to the second, as it reads back from the status: what the engine keeps in memory
    /// equals what it persisted, so an unchanged status compares equal.
    static func seconds(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)) }
}
