import TandemJSON

/// What the dashboard asks of the command line that starts it, so that it shows the same
/// diagnostics and runs the same workflow actions as `tandem validate` and `tandem workflow`.
public struct DashboardHooks: Sendable {
    /// What the editor shows for an Application's text: `{"diagnostics": [...], "rendered": "YAML"}`.
    public var check: @Sendable (_ text: [UInt8]) async -> JSONValue
    /// The largest Application text the editor accepts, in bytes (the CLI's input limit).
    public var maxInputBytes: Int
    /// Runs a workflow action on an application and says what happened.
    public var workflow: @Sendable (_ action: WorkflowAction, _ namespace: String, _ name: String) async throws -> String
    /// An application's objects as rendered from its current revision, and their diff against
    /// the live ones: `{"revision": NAME, "rendered": "YAML", "diff": "unified diff"}`.
    public var objects: @Sendable (_ namespace: String, _ name: String) async throws -> JSONValue

    public init(check: @escaping @Sendable ([UInt8]) async -> JSONValue, maxInputBytes: Int,
                workflow: @escaping @Sendable (WorkflowAction, String, String) async throws -> String,
                objects: @escaping @Sendable (String, String) async throws -> JSONValue) {
        self.check = check
        self.maxInputBytes = maxInputBytes
        self.workflow = workflow
        self.objects = objects
    }
}
