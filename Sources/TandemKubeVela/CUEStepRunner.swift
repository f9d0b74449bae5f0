import TandemJSON

/// Runs a workflow step written in CUE as KubeVela's workflow does: evaluates the template,
/// runs its provider tasks (`vela/kube`, `vela/builtin`, `vela/http`, `vela/util`, `vela/op`)
/// once their inputs are concrete, fills in their results and evaluates again, until no task
/// is left or a wait, suspend or failure is reached.
public struct CUEStepRunner: Sendable {
    public let definition: CUEWorkflowStepDefinition

    public init(_ definition: CUEWorkflowStepDefinition) {
        self.definition = definition
    }

    /// Evaluates the template with `parameter` = properties (inputs already filled in by the
    /// engine) and KubeVela's workflow `context` (name, namespace, appName, appRevision,
    /// stepName, stepSessionID, workflowName, ...), running its provider tasks in dependency
    /// order through `providers`.
    public func run(properties: JSONValue, context: JSONValue, providers: any WorkflowProviders) async -> CUEStepResult {
        // The API first; the task loop follows in the next commit.
        .failed("the \(definition.name) step cannot run yet")
    }
}
