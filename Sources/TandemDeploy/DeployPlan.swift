import KubeModel
import TandemJSON
import TandemRendering

/// A rendered application made ready for one cluster: every object in its namespace, labelled
/// as a member of the application's ApplySet, in the phase it is applied in.
public struct DeployPlan: Sendable {
    public struct Item: Sendable {
        public var object: KubeObject
        public var origin: ObjectOrigin
        public var phase: ApplyPhase
        /// The rendered component that made it: its place in `application.components`; nil for
        /// a policy's object.
        public var component: Int?
        public var reference: ObjectReference { object.reference }
    }

    public var application: RenderedApplication
    /// Where the application's namespaced objects go.
    public var namespace: String
    public var applySet: ApplySet
    /// In the order they are applied: by phase, then as rendered.
    public var items: [Item]
    private var clusterScoped: Set<GroupKind>

    /// `isNamespaced` answers for every kind in the application (from discovery).
    public init(application: RenderedApplication, namespace: String, applySet: ApplySet,
                isNamespaced: (GroupKind) -> Bool) {
        self.application = application
        self.namespace = namespace
        self.applySet = applySet
        var clusterScoped: Set<GroupKind> = []
        var items: [Item] = []
        let policyObjects = application.policyObjects.map { (Int?.none, $0) }
        let componentObjects = application.components.enumerated().flatMap { index, component in component.objects.map { (Int?.some(index), $0) } }
        for (component, rendered) in policyObjects + componentObjects {
            var object = rendered.object
            let groupKind = object.gvk.groupKind
            if isNamespaced(groupKind) {
                if object.namespace == nil { object.json[path: ["metadata", "namespace"]] = .string(namespace) }
            } else {
                clusterScoped.insert(groupKind)
                object.json[path: ["metadata", "namespace"]] = nil
            }
            object.addLabels([(ApplySet.partOfLabel, applySet.id)])
            items.append(Item(object: object, origin: rendered.origin, phase: ApplyPhase(groupKind), component: component))
        }
        // A stable sort: within a phase, the rendered order (components in dependency order).
        self.items = items.enumerated().sorted { ($0.element.phase, $0.offset) < ($1.element.phase, $1.offset) }.map(\.element)
        self.clusterScoped = clusterScoped
    }

    /// Where `object` is applied: its own namespace, the plan's, or none for cluster-scoped kinds.
    public func reference(of object: KubeObject) -> ObjectReference {
        var reference = object.reference
        if clusterScoped.contains(reference.gvk.groupKind) {
            reference.namespace = nil
        } else if reference.namespace == nil {
            reference.namespace = namespace
        }
        return reference
    }

    /// The items, phase by phase.
    public var phases: [[Item]] {
        var phases: [[Item]] = []
        for item in items {
            if let last = phases.last?.last, last.phase == item.phase { phases[phases.count - 1].append(item) } else { phases.append([item]) }
        }
        return phases
    }

    /// What the parent records for this plan: the kinds, and namespaces other than the parent's.
    public var record: ApplySetRecord {
        ApplySetRecord(groupKinds: Set(items.map { $0.reference.gvk.groupKind }),
                       additionalNamespaces: Set(items.compactMap(\.reference.namespace).filter { $0 != applySet.parent.namespace }))
    }

    public var inventory: Inventory { Inventory(self) }

    /// The version of each kind the plan applies.
    var versions: [GroupKind: GroupVersionKind] {
        Dictionary(items.map { ($0.reference.gvk.groupKind, $0.reference.gvk) }, uniquingKeysWith: { first, _ in first })
    }
}

private func < (lhs: (ApplyPhase, Int), rhs: (ApplyPhase, Int)) -> Bool {
    lhs.0 != rhs.0 ? lhs.0 < rhs.0 : lhs.1 < rhs.1
}

import TandemModel

extension DeployPlan {
    /// Where in the user's file the object's maker is written: the trait's `type`, or the
    /// component's `name`.
    public func location(of origin: ObjectOrigin) -> SourceLocation? {
        guard let source = application.application.source,
              let component = application.components.first(where: { $0.name == origin.component }) else { return nil }
        let base: FieldPath = ["spec", "components", .index(component.index)]
        let path = origin.trait.map { base / "traits" / $0.index / "type" } ?? base / "name"
        return SourceLocation(file: source.file, position: source.position(of: path))
    }

    /// `app.yaml:12:9: component 'web' (Deployment/web)`, for messages about one object.
    public func describe(_ item: Item) -> String {
        let place = location(of: item.origin).map { "\($0): " } ?? ""
        return "\(place)\(item.origin.description) (\(item.reference.kubectlName))"
    }
}
