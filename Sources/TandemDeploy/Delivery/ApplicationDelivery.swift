import KubeClient
import KubeModel

/// Delivers one application step by step, as `tandem up`, the controller and a workflow's
/// deploy steps all do: checks the whole plan first (`prepare`), applies each step's objects
/// (`apply`), holds the next step until the step's gate holds (`waitForGate`, or `gate` from
/// objects already at hand), and prunes once, after the last step (`complete`). Reports
/// progress as `DeliveryEvent`s; knows nothing of terminals.
public struct ApplicationDelivery: Sendable {
    public var plan: DeliveryPlan
    public var parent: any ApplySetParent
    public var deployer: Deployer

    public init(plan: DeliveryPlan, parent: any ApplySetParent, deployer: Deployer) {
        self.plan = plan
        self.parent = parent
        self.deployer = deployer
    }

    /// Checks every object of every step before anything changes (see `Deployer.prepare`).
    public func prepare(members: [ObjectReference: KubeObject]? = nil) async throws -> Deployer.Prepared {
        try await deployer.prepare(plan.deploy, parent: parent, members: members)
    }

    /// Applies one step's objects.
    public func apply(_ step: DeliveryPlan.Step, prepared: Deployer.Prepared,
                      events: @escaping @Sendable (DeliveryEvent) -> Void = { _ in }) async throws -> Deployer.Outcome {
        events(.stepStarted(step.name))
        return try await deployer.apply(plan.slice(step), prepared: prepared) { event in events(DeliveryEvent(event)) }
    }

    /// Follows the step's objects until its gate holds, one of them fails, or `timeout` passes.
    public func waitForGate(_ step: DeliveryPlan.Step, timeout: Duration,
                            events: @escaping @Sendable (DeliveryEvent) -> Void = { _ in }) async throws -> HealthWatch.Outcome {
        let watch = HealthWatch(client: deployer.client, inventory: plan.inventory(of: step), namespace: plan.deploy.namespace,
                                applySet: plan.deploy.applySet)
        let outcome = try await watch.wait(timeout: timeout) { events(.health(step: step.name, $0)) }
        if case .healthy = outcome { events(.stepReady(step.name)) }
        return outcome
    }

    /// The step's gate judged from live objects the caller already holds (a controller's watch
    /// caches): no request, no waiting.
    public func gate(_ step: DeliveryPlan.Step, objects: [ObjectReference: KubeObject], pods: [KubeObject],
                     events: [KubeObject]) -> ApplicationHealth {
        ApplicationHealth.assess(plan.inventory(of: step), namespace: plan.deploy.namespace, objects: objects, pods: pods, events: events)
    }

    /// After the last step: prunes what no step delivers any more and records the plan in the parent.
    public func complete(_ prepared: Deployer.Prepared,
                         events: @escaping @Sendable (DeliveryEvent) -> Void = { _ in }) async throws -> [ObjectReference] {
        try await deployer.complete(plan.deploy, prepared: prepared, parent: parent) { event in events(DeliveryEvent(event)) }
    }

    /// How `run` ended.
    public enum Result: Sendable {
        /// Every step applied, what is no longer delivered pruned: every object's action and the
        /// live objects as applied.
        case delivered(Deployer.Outcome)
        /// A step's gate did not hold (it failed, or not before the deadline); later steps were
        /// not applied and nothing was pruned.
        case stopped(step: String, HealthWatch.Outcome)
    }

    /// Every step in order, pruning after the last; each step but the last waits for its gate
    /// before the next starts, until `deadline` (the last step's health is the caller's to follow).
    public func run(members: [ObjectReference: KubeObject]? = nil, deadline: ContinuousClock.Instant,
                    events: @escaping @Sendable (DeliveryEvent) -> Void = { _ in }) async throws -> Result {
        try await deliver(members: members, deadline: deadline, events: events)
    }

    /// Every step at once, in order, then the prune: for a caller that judges health afterwards
    /// from what it watches (the controller's level-based pass), or does not wait (`--no-wait`, a dry run).
    public func runWithoutGates(members: [ObjectReference: KubeObject]? = nil,
                                events: @escaping @Sendable (DeliveryEvent) -> Void = { _ in }) async throws -> Deployer.Outcome {
        switch try await deliver(members: members, deadline: nil, events: events) {
        case .delivered(let outcome): return outcome
        case .stopped: return Deployer.Outcome(actions: [], applied: [:])  // not reached: no gate is waited for without a deadline
        }
    }

    private func deliver(members: [ObjectReference: KubeObject]?, deadline: ContinuousClock.Instant?,
                         events: @escaping @Sendable (DeliveryEvent) -> Void) async throws -> Result {
        let prepared = try await prepare(members: members)
        var delivered = Deployer.Outcome(actions: [], applied: [:], previousMembers: prepared.members)
        for (index, step) in plan.steps.enumerated() {
            let outcome = try await apply(step, prepared: prepared, events: events)
            delivered.actions += outcome.actions
            delivered.applied.merge(outcome.applied) { _, new in new }
            guard let deadline, index < plan.steps.count - 1, step.gate == .healthy else { continue }
            let gate = try await waitForGate(step, timeout: max(.seconds(1), deadline - ContinuousClock.now), events: events)
            if case .healthy = gate { continue }
            return .stopped(step: step.name, gate)
        }
        delivered.actions += try await complete(prepared, events: events).map { ($0, .pruned) }
        return .delivered(delivered)
    }
}

extension DeliveryEvent {
    init(_ event: DeployEvent) {
        switch event {
        case .applied(let reference, let action, let dryRun): self = .applied(reference, action, dryRun: dryRun)
        case .pruned(let reference, let dryRun): self = .pruned(reference, dryRun: dryRun)
        }
    }
}
