import KubeModel
import TandemModel
import TandemRendering

/// A deploy plan cut into the steps that deliver it, in workflow order: each step a slice of
/// the plan's objects (the components one `deploy`, `apply-component` or `apply-application`
/// step delivers, or one environment of the steps KubeVela makes up without a workflow), all
/// applied to the application's one ApplySet. Before the next step starts, the step's gate must
/// hold; pruning happens once, after the last step.
public struct DeliveryPlan: Sendable {
    public struct Step: Sendable {
        /// The workflow step's name; for the steps made up without a workflow, the environment's
        /// (the topology policy's) name, or `deploy`.
        public var name: String
        /// The workflow step that delivers these objects (`spec.workflow.steps[2]`); nil for a made-up step.
        public var path: FieldPath?
        public var environment: String?
        /// The components delivered, by their place in the rendered application.
        public var components: [Int]
        /// The objects, in the order they are applied: by phase, then as rendered.
        public var items: [DeployPlan.Item]
        /// What must hold before the next step starts.
        public var gate: Gate
    }

    /// What a step waits for before the next one starts.
    public enum Gate: Sendable, Equatable {
        /// Every object of the step healthy (what KubeVela's deploy step waits for).
        case healthy
    }

    /// The whole application: its ApplySet, its record and inventory, what is pruned.
    public var deploy: DeployPlan
    public var steps: [Step]

    public init(_ deploy: DeployPlan) {
        self.deploy = deploy
        let workflow = deploy.application.application.workflow.flatMap(\.flattened)
        var steps: [Step] = []
        for (index, component) in deploy.application.components.enumerated() {
            // Consecutive components of one step and environment are one delivery.
            if let last = steps.last, last.path == component.step, last.environment == component.environment {
                steps[steps.count - 1].components.append(index)
                continue
            }
            let name = component.step.flatMap { path in workflow.first { $0.path == path }?.name } ?? component.environment ?? "deploy"
            steps.append(Step(name: name, path: component.step, environment: component.environment, components: [index],
                              items: [], gate: .healthy))
        }
        for position in steps.indices {
            let members = Set(steps[position].components)
            steps[position].items = deploy.items.filter { $0.component.map(members.contains) ?? false }
        }
        // Policies' objects go with the first step: KubeVela applies them before its workflow.
        let policyItems = deploy.items.filter { $0.component == nil }
        if !policyItems.isEmpty {
            if steps.isEmpty {
                steps.append(Step(name: "deploy", path: nil, environment: nil, components: [], items: policyItems, gate: .healthy))
            } else {
                steps[0].items = deploy.items.filter { item in item.component == nil || item.component.map(Set(steps[0].components).contains) == true }
            }
        }
        self.steps = steps
    }

    /// The steps that deliver what a workflow step names: the components of the workflow step at
    /// `path`, or, for a made-up step (`path` nil), those of `environment` (nil: every one).
    public func steps(path: FieldPath?, environment: String?) -> [Step] {
        if let path { return steps.filter { $0.path == path } }
        guard let environment else { return steps }
        return steps.filter { $0.environment == environment }
    }

    /// The plan limited to `step`'s objects (for applying them; the record and the prune stay the whole plan's).
    public func slice(_ step: Step) -> DeployPlan {
        var slice = deploy
        slice.items = step.items
        return slice
    }

    /// What `step` deploys, for judging its health.
    public func inventory(of step: Step) -> Inventory {
        Inventory(deploy, components: step.components)
    }
}
