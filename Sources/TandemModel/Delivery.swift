/// One delivery of components by the workflow: a `deploy` step to one place (an environment), an
/// `apply-component` or `apply-application` step, or a deploy step KubeVela would make up for
/// topology and override policies given without a workflow.
public struct Delivery: Sendable {
    /// The environment: the deploy step's name (or, for a made-up step, its topology policy's);
    /// nil for steps that only apply components.
    public var environment: String?
    /// The namespace its objects go to; nil for the Application's.
    public var namespace: String?
    /// The components delivered, with the step's override policies applied and validated.
    public var components: [Application.Component]
    /// The step that delivers them, for diagnostics; nil for a made-up step.
    public var step: FieldPath?

    public init(environment: String?, namespace: String?, components: [Application.Component], step: FieldPath?) {
        self.environment = environment
        self.namespace = namespace
        self.components = components
        self.step = step
    }
}
