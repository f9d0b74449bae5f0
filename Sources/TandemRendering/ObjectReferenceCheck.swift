import TandemDefinitions
import TandemJSON
import TandemModel

/// An object a `k8s-objects` component gives by its metadata alone (KubeVela's take-over
/// example) cannot be created: it names a live object, which a take-over policy adopts as it is
/// or a read-only policy reads. Without such a policy selecting it, it is an error here rather
/// than a refusal from the cluster at deploy time.
struct ObjectReferenceCheck {
    let rules: [JSONValue]

    init(policies: [Application.Policy]) {
        rules = policies.filter { [TakeOverPolicy().name, ReadOnlyPolicy().name].contains($0.type) }
            .flatMap { $0.properties["rules"]?.array ?? [] }
    }

    func check(_ components: [Application.Component], _ root: DiagnosticScope) {
        for component in components where component.type == KubernetesObjectsComponent().name {
            for (index, object) in (component.properties["objects"]?.array ?? []).enumerated() where KubernetesObjects.isReference(object) {
                let kind = object["kind"]?.string ?? ""
                let name = object[path: ["metadata", "name"]]?.string ?? component.name
                let selected = rules.contains { rule in
                    rule["selector"].map { ResourceSelector.matches($0, kind: kind, name: name, component: component.name,
                                                                     componentType: component.type, trait: nil) } ?? true
                }
                guard !selected else { continue }
                root.scoped(component.path / "properties" / "objects" / index).error(
                    "the \(kind) '\(name)' is given by its metadata alone, which Kubernetes cannot create", code: .invalidObject,
                    hint: "write the object out in full, or select it with a take-over policy (to adopt the live object as it is) or a read-only policy")
            }
        }
    }
}
