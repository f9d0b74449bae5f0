import TandemJSON
import TandemKubeVela
import TandemModel

/// Where a workflow runs — `tandem up` in the foreground, or the controller — as the engine
/// sees it. The engine decides which step runs; the host knows the cluster: how a step's
/// objects are applied to the application's ApplySet and when they are healthy.
public protocol WorkflowHost: Sendable {
    /// The providers every step uses (cluster reads and writes, HTTP, logs).
    var providers: any WorkflowProviders { get }
    /// Applies the objects a `deploy`, `apply-component` or `apply-application` step delivers
    /// and says whether the step's gate holds (its objects healthy). The engine calls it again
    /// on every advance while the gate does not hold, so it must be idempotent and cheap when
    /// nothing changed. Pruning is not the step's: the host prunes once, after the last step.
    func deliver(_ step: DeliveryStep) async throws -> StepGate
}

/// Which of the rendered application's objects a step delivers: the components whose
/// `RenderedComponent.step` is `path`, or, for the steps KubeVela makes up when an Application
/// has no workflow (`path` nil), the components rendered for `environment` (nil: all of them).
public struct DeliveryStep: Sendable, Hashable {
    /// The step's name, as in `status.workflow.steps[].name`.
    public var name: String
    public var path: FieldPath?
    public var environment: String?

    public init(name: String, path: FieldPath?, environment: String?) {
        self.name = name
        self.path = path
        self.environment = environment
    }
}

/// Whether what a step waits for holds.
public enum StepGate: Sendable, Equatable {
    case ready
    /// Not yet, and why (the first unhealthy object, in words).
    case waiting(String)
    /// It will not hold without a change (a crash-looping container, a refused object).
    case failed(String)
}
