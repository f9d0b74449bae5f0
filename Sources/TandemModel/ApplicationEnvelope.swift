import TandemJSON

/// An Application whose envelope — metadata, the lists of components and traits, policies and
/// workflow — has been read, with every component's and trait's `properties` as given: the
/// input of the validation stage, which checks each against the schema of its type.
public struct ApplicationEnvelope: Sendable {
    public struct Component: Sendable {
        public var name: String
        public var type: String
        /// As given; nil when the component has no `properties`.
        public var properties: JSONValue?
        public var traits: [Trait]
        public var dependsOn: [String]
        public var index: Int

        public var path: FieldPath { ["spec", "components", .index(index)] }
    }

    public struct Trait: Sendable {
        public var type: String
        public var properties: JSONValue?
        public var index: Int
        public var componentIndex: Int

        public init(type: String, properties: JSONValue?, index: Int, componentIndex: Int) {
            self.type = type
            self.properties = properties
            self.index = index
            self.componentIndex = componentIndex
        }

        public var path: FieldPath { ["spec", "components", .index(componentIndex), "traits", .index(index)] }
    }

    public var name: String
    public var namespace: String?
    public var labels: [(key: String, value: String)]
    public var annotations: [(key: String, value: String)]
    public var components: [Component]
    public var policies: [Application.Policy]
    public var workflow: [Application.WorkflowStep]
    /// `spec.workflow.ref`: a WorkflowTemplate in a cluster, instead of steps.
    public var workflowRef: String?
    /// `spec.workflow.mode`.
    public var workflowMode = Application.WorkflowMode()
    public var server: Application.ServerFields?
    public var source: SourceMap?
    /// Whether the envelope passed its checks. The components of an invalid envelope are still
    /// checked against their types, so that one run reports every problem, but never rendered.
    public var isValid: Bool
}
