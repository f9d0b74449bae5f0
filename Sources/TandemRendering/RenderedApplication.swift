import KubeModel
import TandemJSON
import TandemModel

/// An Application rendered to Kubernetes objects, each with its origin: which component and
/// which trait made it, which object is a component's workload, and what each container of the
/// workload's pods is for. Deploys, status, health, pruning and the local runtime read this.
public struct RenderedApplication: Sendable {
    public var application: Application
    /// In the order components deploy: each after those it depends on.
    public var components: [RenderedComponent]

    /// Every object: components in deploy order, each component's workload first.
    public var objects: [RenderedObject] { components.flatMap(\.objects) }

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

    /// "component 'web'" or "the expose trait (traits[1]) of component 'web'", for messages.
    public var description: String {
        guard let trait else { return "component '\(component)'" }
        return "the \(trait.type) trait (traits[\(trait.index)]) of component '\(component)'"
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
