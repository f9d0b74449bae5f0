/// What happens as a workflow advances, for progress displays and Events.
public enum WorkflowEvent: Sendable, Equatable {
    case started(step: String, type: String)
    case waiting(step: String, message: String)
    case succeeded(step: String)
    case skipped(step: String)
    case failed(step: String, message: String)
    case suspended(step: String, message: String)
    case finished(WorkflowStatus.Phase)
}
