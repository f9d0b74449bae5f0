/// The workflow actions the application page offers.
public enum WorkflowAction: String, Sendable, CaseIterable {
    case resume
    case terminate
}
