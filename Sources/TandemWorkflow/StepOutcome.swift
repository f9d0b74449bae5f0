import Foundation
import TandemJSON

/// What one run of a step came to.
enum StepOutcome: Sendable {
    /// Done; `value` is what its outputs' `valueFrom` read, `message` stays on its status.
    case succeeded(value: JSONValue, message: String? = nil)
    /// Not yet (a gate that does not hold, an Application not running yet).
    case waiting(String)
    /// Suspended until resumed, or until `until`.
    case suspended(until: Date?, message: String?)
    /// Failed: for good, or (`retry`) for now, to be tried again after a back-off.
    case failed(String, retry: Bool)
}
