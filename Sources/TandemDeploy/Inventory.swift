import KubeModel
import TandemJSON
import TandemDefinitions
import TandemRendering

/// What an application deployed, by component: its objects, which trait made each, and its
/// containers with their roles. Kept in the ApplySet parent, so that `status` and `delete` know
/// the application without its file.
public struct Inventory: Sendable, Hashable {
    public struct Component: Sendable, Hashable {
        public var name: String
        public var type: String
        public var objects: [Entry]
        public var containers: [Container]
        /// The definition's own health rules, if it states any.
        public var healthPolicy: HealthPolicy?
        /// Its traits' own health rules, each naming its trait.
        public var traitHealthPolicies: [HealthPolicy]

        public var workload: ObjectReference? { objects.first { $0.isWorkload }?.reference }

        public init(name: String, type: String, objects: [Entry], containers: [Container], healthPolicy: HealthPolicy? = nil,
                    traitHealthPolicies: [HealthPolicy] = []) {
            self.name = name
            self.type = type
            self.objects = objects
            self.containers = containers
            self.healthPolicy = healthPolicy
            self.traitHealthPolicies = traitHealthPolicies
        }
    }

    public struct Entry: Sendable, Hashable {
        public var reference: ObjectReference
        /// The trait that made it; nil for the component's own objects.
        public var trait: String?
        public var isWorkload: Bool
        /// Read by name rather than found as a member of the set: what a read-only policy
        /// selects, and what a shared-resource policy selects (another application may own it).
        public var readByName = false

        public init(reference: ObjectReference, trait: String?, isWorkload: Bool) {
            self.reference = reference
            self.trait = trait
            self.isWorkload = isWorkload
        }

        public init(reference: ObjectReference, trait: String?, isWorkload: Bool, readByName: Bool) {
            self.init(reference: reference, trait: trait, isWorkload: isWorkload)
            self.readByName = readByName
        }
    }

    public struct Container: Sendable, Hashable {
        public var name: String
        public var role: RenderedContainer.Role
        public var trait: String?

        public init(name: String, role: RenderedContainer.Role, trait: String?) {
            self.name = name
            self.role = role
            self.trait = trait
        }
    }

    public var application: String
    public var components: [Component]

    public init(application: String, components: [Component]) {
        self.application = application
        self.components = components
    }

    /// The inventory of a plan: objects with the namespace they are applied in.
    public init(_ plan: DeployPlan) {
        self.init(plan, components: Array(plan.application.components.indices))
    }

    /// The inventory of some of a plan's components (by their place in the rendered application):
    /// what one delivery step deploys.
    public init(_ plan: DeployPlan, components indices: [Int]) {
        application = plan.application.name
        let policies = RuntimePolicies(plan.application)
        components = indices.map { plan.application.components[$0] }.map { component in
            Component(
                name: component.name, type: component.type,
                objects: component.objects.map { object in
                    Entry(reference: plan.reference(of: object.object), trait: object.origin.trait?.type,
                          isWorkload: object.origin.isWorkload, readByName: policies.isReadByName(object))
                },
                containers: component.containers.map { Container(name: $0.name, role: $0.role, trait: $0.trait?.type) },
                healthPolicy: component.healthPolicy, traitHealthPolicies: component.traitHealthPolicies)
        }
    }

    public var references: [ObjectReference] { components.flatMap { $0.objects.map(\.reference) } }

    /// The objects read by name, which a member listing may not find.
    public var namedReferences: [ObjectReference] { components.flatMap { $0.objects.filter(\.readByName).map(\.reference) } }

    public var json: JSONValue {
        .object(["application": .string(application), "components": .array(components.map { component in
            var json: JSONObject = [
                "name": .string(component.name), "type": .string(component.type),
                "objects": .array(component.objects.map { entry in
                    var object: JSONObject = ["apiVersion": .string(entry.reference.gvk.apiVersion),
                                              "kind": .string(entry.reference.gvk.kind), "name": .string(entry.reference.name)]
                    if let namespace = entry.reference.namespace { object.append("namespace", .string(namespace)) }
                    if let trait = entry.trait { object.append("trait", .string(trait)) }
                    if entry.isWorkload { object.append("workload", true) }
                    if entry.readByName { object.append("readByName", true) }
                    return .object(object)
                }),
                "containers": .array(component.containers.map { container in
                    var object: JSONObject = ["name": .string(container.name), "role": .string(container.role.rawValue)]
                    if let trait = container.trait { object.append("trait", .string(trait)) }
                    return .object(object)
                }),
            ]
            if let policy = component.healthPolicy { json.append("healthPolicy", policy.json) }
            if !component.traitHealthPolicies.isEmpty { json.append("traitHealthPolicies", .array(component.traitHealthPolicies.map(\.json))) }
            return .object(json)
        })])
    }

    /// Reads an inventory back; nil when `json` is not one.
    public init?(json: JSONValue) {
        guard let application = json["application"]?.string, let components = json["components"]?.array else { return nil }
        self.application = application
        self.components = components.compactMap { component in
            guard let name = component["name"]?.string else { return nil }
            return Component(
                name: name, type: component["type"]?.string ?? "",
                objects: (component["objects"]?.array ?? []).compactMap { entry in
                    guard let apiVersion = entry["apiVersion"]?.string, let kind = entry["kind"]?.string,
                          let name = entry["name"]?.string else { return nil }
                    return Entry(reference: ObjectReference(gvk: GroupVersionKind(apiVersion: apiVersion, kind: kind),
                                                            namespace: entry["namespace"]?.string, name: name),
                                 trait: entry["trait"]?.string, isWorkload: entry["workload"]?.bool ?? false,
                                 readByName: entry["readByName"]?.bool ?? false)
                },
                containers: (component["containers"]?.array ?? []).compactMap { container in
                    guard let name = container["name"]?.string else { return nil }
                    return Container(name: name, role: container["role"]?.string.flatMap(RenderedContainer.Role.init) ?? .main,
                                     trait: container["trait"]?.string)
                },
                healthPolicy: component["healthPolicy"].flatMap(HealthPolicy.init(json:)),
                traitHealthPolicies: (component["traitHealthPolicies"]?.array ?? []).compactMap(HealthPolicy.init(json:)))
        }
    }
}
