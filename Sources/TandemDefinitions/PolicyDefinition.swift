import KubeModel
import TandemModel

/// When a policy or workflow step takes effect: while rendering (`tandem render` shows it), or
/// only while deploying, where the deploy lifecycle honours it.
public enum DeliveryStage: String, Sendable {
    case render
    case deploy
}

/// A policy type (`spec.policies[].type`): its parameter schema and when it takes effect.
/// Render-time policies are applied by the renderer's delivery plan; deploy-time policies are
/// kept on the rendered application for the deploy lifecycle.
public protocol PolicyDefinition: Sendable {
    var name: String { get }
    var description: String { get }
    var parameters: Schema { get }
    var stage: DeliveryStage { get }
    /// Whether the deploy lifecycle acts on a deploy-time policy of this type (`up` and the
    /// controller do for the built-in resource policies, not for custom ones).
    var isActedOnAtDeploy: Bool { get }
    /// A complete Application using this policy, for the reference manual.
    var example: String { get }
    /// The objects the policy makes, applied with the application (a custom policy's `output`
    /// and `outputs`); `context.scope` points at the policy's `properties`. None for most.
    func objects(_ policy: Application.Policy, context: RenderContext) -> [KubeObject]
}

extension PolicyDefinition {
    public var isActedOnAtDeploy: Bool { false }
    public func objects(_ policy: Application.Policy, context: RenderContext) -> [KubeObject] { [] }
}

/// A workflow step type (`spec.workflow.steps[].type`).
public protocol WorkflowStepDefinition: Sendable {
    var name: String { get }
    var description: String { get }
    var parameters: Schema { get }
    var stage: DeliveryStage { get }
    /// A complete Application using this step, for the reference manual.
    var example: String { get }
}
