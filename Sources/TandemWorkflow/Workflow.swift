import TandemJSON
import TandemModel
import TandemRendering

/// The steps that run: as written in `spec.workflow`, or the ones KubeVela makes up without
/// one — a deploy step per topology policy (`deploy-NAME`, with the override policies), or one
/// step `deploy` delivering every component.
public struct Workflow: Sendable {
    public var steps: [WorkflowStepSpec]
    /// How steps and a step-group's sub-steps run (both resolved: never nil).
    public var mode: Application.WorkflowMode
    /// The steps that deliver objects, in order (for hosts and `tandem status`).
    public var deliverySteps: [DeliveryStep]

    public init(_ application: RenderedApplication) {
        self.init(application.application)
    }

    public init(_ application: Application) {
        if !application.workflow.isEmpty {
            steps = application.workflow.map(WorkflowStepSpec.init)
            mode = Application.WorkflowMode(steps: application.workflowMode.steps ?? .stepByStep,
                                            subSteps: application.workflowMode.subSteps ?? .dag)
        } else {
            steps = Self.madeUpSteps(application.policies)
            mode = Application.WorkflowMode(steps: .stepByStep, subSteps: .dag)
        }
        deliverySteps = steps.flatMap { [$0] + $0.subSteps }.compactMap(\.delivery)
    }

    public init(steps: [WorkflowStepSpec], mode: Application.WorkflowMode = Application.WorkflowMode(steps: .stepByStep, subSteps: .dag)) {
        self.steps = steps
        self.mode = Application.WorkflowMode(steps: mode.steps ?? .stepByStep, subSteps: mode.subSteps ?? .dag)
        deliverySteps = steps.flatMap { [$0] + $0.subSteps }.compactMap(\.delivery)
    }

    /// KubeVela's steps for an Application without a workflow (its DeployWorkflowStepGenerator).
    static func madeUpSteps(_ policies: [Application.Policy]) -> [WorkflowStepSpec] {
        let overrides = policies.filter { $0.type == "override" }.map(\.name)
        let topologies = policies.filter { $0.type == "topology" }.map(\.name)
        if topologies.isEmpty {
            return [WorkflowStepSpec(name: "deploy", type: "deploy", properties: ["policies": .array(overrides.map { .string($0) })],
                                     delivery: DeliveryStep(name: "deploy", path: nil, environment: nil))]
        }
        return topologies.map { topology in
            WorkflowStepSpec(name: "deploy-\(topology)", type: "deploy",
                             properties: ["policies": .array((overrides + [topology]).map { .string($0) })],
                             delivery: DeliveryStep(name: "deploy-\(topology)", path: nil, environment: topology))
        }
    }

    /// KubeVela's `status.workflow.mode`: `StepByStep-DAG`.
    public var modeText: String { "\((mode.steps ?? .stepByStep).rawValue)-\((mode.subSteps ?? .dag).rawValue)" }
}
