import TandemJSON

/// A `core.oam.dev/v1beta1` Application, decoded from its JSON — whether that was read from a
/// file or returned by the API server — after its envelope was checked.
///
/// The validation stage replaces every component's and trait's `properties` with the validated,
/// defaulted values of its type's schema; an Application handed to rendering has only those.
public struct Application: Sendable {
    public struct Component: Sendable {
        public var name: String
        public var type: String
        public var properties: Parameters
        public var traits: [Trait]
        public var dependsOn: [String]
        /// The component's place in `spec.components`, for diagnostics.
        public var index: Int

        public init(name: String, type: String, properties: Parameters, traits: [Trait], dependsOn: [String], index: Int) {
            self.name = name
            self.type = type
            self.properties = properties
            self.traits = traits
            self.dependsOn = dependsOn
            self.index = index
        }

        public var path: FieldPath { ["spec", "components", .index(index)] }
    }

    public struct Trait: Sendable {
        public var type: String
        public var properties: Parameters
        /// The trait's place in its component's `traits`.
        public var index: Int
        public var componentIndex: Int

        public init(type: String, properties: Parameters, index: Int, componentIndex: Int) {
            self.type = type
            self.properties = properties
            self.index = index
            self.componentIndex = componentIndex
        }

        public var path: FieldPath { ["spec", "components", .index(componentIndex), "traits", .index(index)] }
    }

    /// An entry of `spec.policies`.
    public struct Policy: Sendable {
        public var name: String
        public var type: String
        public var properties: JSONValue
        public var index: Int

        public init(name: String, type: String, properties: JSONValue, index: Int) {
            self.name = name
            self.type = type
            self.properties = properties
            self.index = index
        }

        public var path: FieldPath { ["spec", "policies", .index(index)] }
    }

    /// A step of `spec.workflow.steps`, or a sub-step of a `step-group`.
    public struct WorkflowStep: Sendable {
        public var name: String
        public var type: String
        public var properties: JSONValue
        public var dependsOn: [String]
        /// The step's place in its list: `steps`, or its group's `subSteps`.
        public var index: Int
        /// Where the step is written: `spec.workflow.steps[1]` or `spec.workflow.steps[1].subSteps[0]`.
        public var path: FieldPath
        /// A `step-group`'s steps.
        public var subSteps: [WorkflowStep]
        /// `if`: a CUE expression over earlier steps' `status` and this step's `inputs`, or `always`.
        public var condition: String?
        /// `timeout`: how long the step may run, as a duration such as `10m`.
        public var timeout: String?
        public var inputs: [Input]
        public var outputs: [Output]
        /// `meta.alias`: a name to show instead of the step's.
        public var alias: String?

        /// A value the step reads from an earlier step's output.
        public struct Input: Sendable, Hashable {
            /// The output's name.
            public var from: String
            /// Where in the step's properties the value goes (`a.b.c`); nil: only for `if`.
            public var parameterKey: String?

            public init(from: String, parameterKey: String?) {
                self.from = from
                self.parameterKey = parameterKey
            }
        }

        /// A value the step exports for later steps.
        public struct Output: Sendable, Hashable {
            public var name: String
            /// A CUE expression over the step's value.
            public var valueFrom: String

            public init(name: String, valueFrom: String) {
                self.name = name
                self.valueFrom = valueFrom
            }
        }

        public init(name: String, type: String, properties: JSONValue, dependsOn: [String], index: Int,
                    path: FieldPath? = nil, subSteps: [WorkflowStep] = [], condition: String? = nil, timeout: String? = nil,
                    inputs: [Input] = [], outputs: [Output] = [], alias: String? = nil) {
            self.name = name
            self.type = type
            self.properties = properties
            self.dependsOn = dependsOn
            self.index = index
            self.path = path ?? ["spec", "workflow", "steps", .index(index)]
            self.subSteps = subSteps
            self.condition = condition
            self.timeout = timeout
            self.inputs = inputs
            self.outputs = outputs
            self.alias = alias
        }

        /// This step, then its sub-steps, in order.
        public var flattened: [WorkflowStep] { [self] + subSteps.flatMap(\.flattened) }
    }

    /// `spec.workflow.mode`: whether steps (and a step-group's sub-steps) run one after
    /// another or as a graph of their `dependsOn`.
    public struct WorkflowMode: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            case stepByStep = "StepByStep"
            case dag = "DAG"
        }

        /// nil: as written (StepByStep for a written workflow).
        public var steps: Kind?
        /// nil: DAG, KubeVela's default for sub-steps.
        public var subSteps: Kind?

        public init(steps: Kind? = nil, subSteps: Kind? = nil) {
            self.steps = steps
            self.subSteps = subSteps
        }
    }

    /// What the API server adds to an object it stores; nil for one read from a file.
    public struct ServerFields: Sendable, Hashable {
        public var uid: String?
        public var resourceVersion: String?
        public var generation: Int?
        public var deleting: Bool
        public var finalizers: [String]
    }

    public var name: String
    public var namespace: String?
    public var labels: [(key: String, value: String)]
    public var annotations: [(key: String, value: String)]
    public var components: [Component]
    public var policies: [Policy]
    public var workflow: [WorkflowStep]
    public var workflowMode: WorkflowMode = WorkflowMode()
    public var server: ServerFields?
    /// The document it was read from, to place diagnostics; nil for JSON from the API server.
    public var source: SourceMap?
    /// Where the workflow (or, without one, the topology and override policies) delivers the
    /// components, in order; nil for the default: every component, once, in the Application's namespace.
    public var deliveries: [Delivery]?

    public init(
        name: String, namespace: String?, labels: [(key: String, value: String)], annotations: [(key: String, value: String)],
        components: [Component], policies: [Policy], workflow: [WorkflowStep], server: ServerFields?, source: SourceMap?,
        deliveries: [Delivery]? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.components = components
        self.policies = policies
        self.workflow = workflow
        self.server = server
        self.source = source
        self.deliveries = deliveries
    }
}
