import KubeModel
import TandemDefinitions
import TandemJSON
import TandemRendering

/// What a resource policy's selector sees of an object: its kind and name, and the component
/// and trait that made it. Read from the plan for what is rendered, and from the labels Tandem
/// stamps for a live object that is no longer rendered.
struct PolicyTarget: Sendable {
    var kind: String
    var name: String
    var component: String
    var componentType: String
    var trait: String?

    init(_ item: DeployPlan.Item) {
        self.init(kind: item.reference.gvk.kind, name: item.reference.name, origin: item.origin)
    }

    init(_ object: RenderedObject) {
        self.init(kind: object.object.kind, name: object.object.name, origin: object.origin)
    }

    private init(kind: String, name: String, origin: ObjectOrigin) {
        self.kind = kind
        self.name = name
        component = origin.component
        componentType = origin.componentType
        trait = origin.trait?.type
    }

    init(live object: KubeObject) {
        let labels = object.json[path: ["metadata", "labels"]]
        kind = object.kind
        name = object.name
        component = labels?[LabelKeys.component]?.string ?? ""
        componentType = labels?[LabelKeys.workloadType]?.string ?? ""
        trait = labels?[LabelKeys.traitType]?.string
    }

    /// Whether a rule's `selector` covers this object; a rule without one covers everything.
    func isSelected(by rule: JSONValue) -> Bool {
        guard let selector = rule["selector"] else { return true }
        return ResourceSelector.matches(selector, kind: kind, name: name, component: component, componentType: componentType, trait: trait)
    }
}

/// The rules of one policy type, across every policy of that type in the application, in order:
/// the first rule that selects an object decides (as KubeVela's `FindStrategy` does).
struct PolicyRules: Sendable {
    var rules: [JSONValue]

    init(_ policies: [JSONValue]) {
        rules = policies.flatMap { $0["rules"]?.array ?? [] }
    }

    var isEmpty: Bool { rules.isEmpty }

    func first(selecting target: PolicyTarget) -> JSONValue? {
        rules.first { target.isSelected(by: $0) }
    }

    func selects(_ target: PolicyTarget) -> Bool {
        first(selecting: target) != nil
    }
}
