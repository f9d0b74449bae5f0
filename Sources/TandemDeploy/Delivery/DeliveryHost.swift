import KubeClient
import KubeModel
import Synchronization
import TandemKubeVela
import TandemModel
import TandemWorkflow

/// Where a workflow delivers: its deploy steps apply their slices of the application's
/// `DeliveryPlan` to the one ApplySet and hold the workflow until their objects are healthy.
/// The same host serves `tandem up` (which waits for health in the foreground) and the
/// controller (which judges health from its watch caches and comes back later).
public final class DeliveryHost: WorkflowHost {
    /// How a step's gate is judged.
    public enum GateCheck: Sendable {
        /// Follow the step's objects until the gate holds, one fails, or `deadline` passes.
        case wait(until: ContinuousClock.Instant)
        /// Judge from objects at hand, without a request or a wait: the step's inventory and the
        /// objects this host has just applied.
        case look(@Sendable (Inventory, [ObjectReference: KubeObject]) -> ApplicationHealth)
    }

    public let providers: any WorkflowProviders
    public let delivery: ApplicationDelivery
    public let prepared: Deployer.Prepared
    let check: GateCheck
    let events: @Sendable (DeliveryEvent) -> Void
    /// The plan's steps applied by this host, and the live objects as they were applied.
    private let state = Mutex<(steps: Set<Int>, applied: [ObjectReference: KubeObject], started: [String: ContinuousClock.Instant])>(([], [:], [:]))

    /// `prepared`: the whole plan checked (`ApplicationDelivery.prepare`) before the workflow runs.
    /// `applied`: the names of the plan's steps already applied (by an earlier pass of a
    /// controller, for the same plan), which are judged but not applied again.
    public init(providers: any WorkflowProviders, delivery: ApplicationDelivery, prepared: Deployer.Prepared, check: GateCheck,
                applied: Set<String> = [], events: @escaping @Sendable (DeliveryEvent) -> Void = { _ in }) {
        self.providers = providers
        self.delivery = delivery
        self.prepared = prepared
        self.check = check
        self.events = events
        let indices = delivery.plan.steps.indices.filter { applied.contains(delivery.plan.steps[$0].name) }
        state.withLock { $0.steps = Set(indices) }
    }

    /// The names of the plan's steps applied, by this host or before it.
    public var appliedSteps: Set<String> { Set(state.withLock { $0.steps }.map { delivery.plan.steps[$0].name }) }

    /// When a step with a `timeout` stops waiting here, so that the engine times it out: its
    /// timeout from the first time this host delivered it.
    private func stepDeadline(_ step: DeliveryStep) -> ContinuousClock.Instant {
        let now = ContinuousClock.now
        let first = state.withLock { state in
            if let first = state.started[step.name] { return first }
            state.started[step.name] = now
            return now
        }
        let written = step.path.flatMap { path in
            delivery.plan.deploy.application.application.workflow.flatMap(\.flattened).first { $0.path == path }
        }
        guard let timeout = written?.timeout, let seconds = GoDuration.seconds(timeout) else { return now + .seconds(86_400 * 365) }
        return first + .seconds(seconds)
    }

    /// The live objects as this host applied them.
    public var applied: [ObjectReference: KubeObject] { state.withLock { $0.applied } }

    /// Applies the step's objects once per host, then judges its gate.
    public func deliver(_ step: DeliveryStep) async throws -> StepGate {
        let steps = delivery.plan.steps.indices.filter { index in
            let planned = delivery.plan.steps[index]
            if let path = step.path { return planned.path == path }
            return step.environment == nil || planned.environment == step.environment
        }
        for index in steps where !state.withLock({ $0.steps.contains(index) }) {
            let outcome = try await delivery.apply(delivery.plan.steps[index], prepared: prepared, events: events)
            state.withLock { state in
                state.steps.insert(index)
                state.applied.merge(outcome.applied) { _, new in new }
            }
        }
        var waiting: [String] = []
        for index in steps {
            let planned = delivery.plan.steps[index]
            let health: ApplicationHealth
            switch check {
            case .wait(let deadline):
                let timeout = max(.milliseconds(1), min(deadline, stepDeadline(step)) - ContinuousClock.now)
                health = try await delivery.waitForGate(planned, timeout: timeout, events: events).health
            case .look(let judge):
                health = judge(delivery.plan.inventory(of: planned), applied)
            }
            let problems = health.components.filter { $0.verdict.status != .current }.map { "component '\($0.name)': \($0.verdict.message)" }
            if health.hasFailed { return .failed(problems.joined(separator: "; ")) }
            if !health.isHealthy { waiting += problems }
        }
        return waiting.isEmpty ? .ready : .waiting(waiting.joined(separator: "; "))
    }
}
