import TandemJSON
import TandemModel

/// A step as the engine runs it: one written in `spec.workflow.steps` (or a step-group's
/// `subSteps`), or one KubeVela makes up for an Application without a workflow.
public struct WorkflowStepSpec: Sendable {
    public var name: String
    public var type: String
    /// Validated and defaulted by the step type's parameters; inputs are filled in when it runs.
    public var properties: JSONValue
    public var dependsOn: [String]
    /// `if`: a CUE expression over earlier steps' `status` and the step's `inputs`, or `always`.
    public var condition: String?
    /// `timeout`, as written (`30s`, `10m`, `1h30m`).
    public var timeout: String?
    public var inputs: [Application.WorkflowStep.Input]
    public var outputs: [Application.WorkflowStep.Output]
    /// `meta.alias`.
    public var alias: String?
    /// A step-group's steps.
    public var subSteps: [WorkflowStepSpec]
    /// Where it is written; nil for a step KubeVela makes up.
    public var path: FieldPath?
    /// What it delivers, for `deploy`, `apply-component` and `apply-application` steps.
    public var delivery: DeliveryStep?

    public init(name: String, type: String, properties: JSONValue = .object([:]), dependsOn: [String] = [], condition: String? = nil,
                timeout: String? = nil, inputs: [Application.WorkflowStep.Input] = [], outputs: [Application.WorkflowStep.Output] = [],
                alias: String? = nil, subSteps: [WorkflowStepSpec] = [], path: FieldPath? = nil, delivery: DeliveryStep? = nil) {
        self.name = name
        self.type = type
        self.properties = properties
        self.dependsOn = dependsOn
        self.condition = condition
        self.timeout = timeout
        self.inputs = inputs
        self.outputs = outputs
        self.alias = alias
        self.subSteps = subSteps
        self.path = path
        self.delivery = delivery
    }

    /// A step as written in the Application.
    public init(_ step: Application.WorkflowStep) {
        self.init(name: step.name, type: step.type, properties: step.properties, dependsOn: step.dependsOn, condition: step.condition,
                  timeout: step.timeout, inputs: step.inputs, outputs: step.outputs, alias: step.alias,
                  subSteps: step.subSteps.map(WorkflowStepSpec.init), path: step.path,
                  delivery: Self.deliveryTypes.contains(step.type)
                      ? DeliveryStep(name: step.name, path: step.path, environment: step.type == "deploy" ? step.name : nil) : nil)
    }

    /// The step types whose objects the host delivers.
    public static let deliveryTypes: Set<String> = ["deploy", "apply-component", "apply-application"]
}
