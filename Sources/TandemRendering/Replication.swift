import TandemDefinitions
import TandemJSON
import TandemModel

/// The replication policies of a deploy step, as KubeVela applies them: each selected component
/// is delivered once per key, the copies keeping the component's name and carrying the key
/// (`context.replicaKey`), after the components no policy replicates.
enum Replication {
    static func replicate(_ components: [Application.Component], by policies: [Application.Policy],
                          _ root: DiagnosticScope) -> [Application.Component] {
        guard !policies.isEmpty else { return components }
        var replicated: Set<String> = []
        var copies: [Application.Component] = []
        for policy in policies {
            let keys = policy.properties["keys"]?.strings ?? []
            let selector = policy.properties["selector"]?.strings
            let selected = components.filter { selector?.contains($0.name) ?? true }
            if selected.isEmpty {
                root.error("the replication policy '\(policy.name)' selects no component this step deploys",
                           at: policy.path / "properties" / "selector", code: .unknownReference,
                           hint: "list the names of components in selector")
                continue
            }
            for component in selected {
                replicated.insert(component.name)
                for key in keys {
                    var copy = component
                    copy.replicaKey = key
                    copies.append(copy)
                }
            }
        }
        return components.filter { !replicated.contains($0.name) } + copies
    }
}
