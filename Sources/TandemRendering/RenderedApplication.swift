import KubeModel
import TandemDefinitions
import TandemJSON
import TandemModel

/// An Application rendered to Kubernetes objects, each with its origin: which component and
/// which trait made it, which object is a component's workload, and what each container of the
/// workload's pods is for. Deploys, status, health, pruning and the local runtime read this.
public struct RenderedApplication: Sendable {
    public var application: Application
    /// In the order components deploy: delivery by delivery (the workflow's steps), each after
    /// those it depends on. A component delivered to several environments appears once for each.
    public var components: [RenderedComponent]
    /// The objects custom policies make (their templates' `output` and `outputs`), applied with
    /// the application before its components, as KubeVela dispatches them before its workflow.
    public var policyObjects: [RenderedObject] = []
    /// Which labels workload selectors match: the `tandem.oam.dev/selector-labels` annotation's choice.
    /// `up` must not change the selector of a live workload (it is immutable): see the README.
    public var selector: SelectorLabels
    /// The definitions it was rendered with: the deploy lifecycle asks them which policies and
    /// steps are its own.
    public var registry: DefinitionRegistry

    public init(application: Application, components: [RenderedComponent], registry: DefinitionRegistry,
                selector: SelectorLabels = .applicationAndComponent) {
        self.application = application
        self.components = components
        self.registry = registry
        self.selector = selector
    }

    /// The policies the deploy lifecycle honours (garbage-collect, apply-once, read-only,
    /// take-over, shared-resource, resource-update), validated and defaulted.
    public var deployTimePolicies: [Application.Policy] {
        application.policies.filter { registry.policies[$0.type]?.stage == .deploy }
    }

    /// The workflow's steps that take effect while deploying (suspend, notification, webhook,
    /// depends-on-app, and deploy steps with auto: false), in order, sub-steps included.
    public var deployTimeSteps: [Application.WorkflowStep] {
        application.workflow.flatMap(\.flattened).filter { step in
            registry.workflowSteps[step.type]?.stage == .deploy || step.properties["auto"]?.bool == false
        }
    }

    /// The environments, in workflow order (the deploy steps' names).
    public var environments: [String] {
        var names: [String] = []
        for component in components { if let name = component.environment, !names.contains(name) { names.append(name) } }
        return names
    }

    /// Every object: the policies', then components in deploy order, each component's workload first.
    public var objects: [RenderedObject] { policyObjects + components.flatMap(\.objects) }

    public var name: String { application.name }
    public var namespace: String? { application.namespace }
}

/// One component's objects and containers.
public struct RenderedComponent: Sendable {
    public var name: String
    public var type: String
    /// The component's place in `spec.components`.
    public var index: Int
    /// The workload first, then the objects made beside it, in the order they were made.
    public var objects: [RenderedObject]
    /// The containers of the workload's pods, by role; empty for a workload without pods.
    public var containers: [RenderedContainer]
    /// Where the pod spec sits in the workload, when it has one.
    public var podSpecPath: [String]?
    /// The environment (deploy step) it was rendered for; nil without one.
    public var environment: String?
    /// The workflow step that delivers it (`spec.workflow.steps[2]`), to interleave deploy-time
    /// steps (suspend, notification, ...) with deliveries; nil without a workflow.
    public var step: FieldPath?
    /// The definition's own health rules for the component, if it states any.
    public var healthPolicy: HealthPolicy?
    /// Its traits' own health rules, for the traits whose definitions state them.
    public var traitHealthPolicies: [HealthPolicy] = []

    public var workload: RenderedObject? { objects.first { $0.origin.isWorkload } }
}

/// A rendered object and where it came from.
public struct RenderedObject: Sendable {
    public var object: KubeObject
    public var origin: ObjectOrigin

    public var reference: ObjectReference { object.reference }
}

/// Which component, and which of its traits (none for the component's own objects), made an object.
public struct ObjectOrigin: Sendable, Hashable {
    public var component: String
    public var componentType: String
    public var trait: TraitOrigin?
    public var isWorkload: Bool
    /// The environment (deploy step) the object was rendered for; nil without one.
    public var environment: String? = nil
    /// The policy that made it (`component` is then empty); nil for a component's object.
    public var policy: String? = nil

    /// "component 'web'" or "the expose trait (traits[1]) of component 'web'", for messages.
    public var description: String {
        if let policy { return "policy '\(policy)'" }
        let place = environment.map { " in environment '\($0)'" } ?? ""
        guard let trait else { return "component '\(component)'\(place)" }
        return "the \(trait.type) trait (traits[\(trait.index)]) of component '\(component)'\(place)"
    }
}

/// A trait of a component: its type and its place in the component's `traits`.
public struct TraitOrigin: Sendable, Hashable {
    public var type: String
    public var index: Int
}

/// A container of a workload's pods and what it is for.
public struct RenderedContainer: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable {
        /// The container built from the component's own parameters.
        case main
        /// A container beside the main one, started with it (a classic sidecar).
        case sidecar
        /// An init container with `restartPolicy: Always`: started first, kept running, stopped last.
        case nativeSidecar = "native-sidecar"
        /// An init container that runs to completion before the others start.
        case initContainer = "init"
    }

    public var name: String
    public var image: String
    public var role: Role
    /// The trait that added it; nil for the main container and what the component itself made.
    public var trait: TraitOrigin?
}
