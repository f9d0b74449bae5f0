import TandemJSON

/// How one run of a workflow step written in CUE ended.
public enum CUEStepResult: Sendable, Equatable {
    /// Every provider task ran: the evaluated template (the step's outputs' `valueFrom` read from it).
    case succeeded(value: JSONValue)
    /// A conditional wait is not yet true: run the step again later.
    case waiting(String)
    /// The step suspends the workflow, for `duration` or until resumed when nil.
    case suspended(duration: Duration?, message: String?)
    /// The step failed: its own `#Fail`, a provider's error, or a template that does not evaluate.
    case failed(String)
}
