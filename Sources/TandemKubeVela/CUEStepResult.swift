import TandemJSON

/// How one run of a workflow step written in CUE ended.
public enum CUEStepResult: Sendable, Equatable {
    /// Every provider task ran: the evaluated template (the step's outputs' `valueFrom` read
    /// from it), and the message the step left for its status (`builtin.#Message`), if any.
    case succeeded(value: JSONValue, message: String?)
    /// A conditional wait is not yet true: run the step again later. The wait's message.
    case waiting(String)
    /// The step suspends the workflow, for `duration` or until resumed when nil. As in KubeVela,
    /// the step itself is done (what came before the suspend ran); the next step runs on resume.
    case suspended(duration: Duration?, message: String)
    /// The step failed: its own `#Fail`, a provider's error, a provider Tandem does not run, or a
    /// template that does not evaluate (located in the definition's file).
    case failed(String)
}
