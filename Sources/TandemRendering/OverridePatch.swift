import TandemJSON
import TandemModel

/// How an `override` policy changes a component, as KubeVela merges it: properties merged in
/// (mappings merge key by key, any other value replaces), traits matched by type and merged,
/// added when the component lacks them, removed with `disable: true`.
enum OverridePatch {
    /// Whether the override entry `patch` (validated) selects `component`.
    static func selects(_ patch: JSONValue, _ component: ApplicationEnvelope.Component) -> Bool {
        let nameMatches = patch["name"]?.string.map { $0 == component.name } ?? true
        let typeMatches = patch["type"]?.string.map { $0 == component.type } ?? true
        return nameMatches && typeMatches
    }

    static func apply(_ patch: JSONValue, to component: inout ApplicationEnvelope.Component) {
        if let properties = patch["properties"] {
            component.properties = merge(component.properties ?? .object(JSONObject()), properties)
        }
        for trait in patch["traits"]?.array ?? [] {
            let type = trait["type"]?.string ?? ""
            if trait["disable"]?.bool == true {
                component.traits.removeAll { $0.type == type }
            } else if let index = component.traits.firstIndex(where: { $0.type == type }) {
                if let properties = trait["properties"] {
                    component.traits[index].properties = merge(component.traits[index].properties ?? .object(JSONObject()), properties)
                }
            } else {
                let index = (component.traits.map(\.index).max() ?? -1) + 1
                component.traits.append(ApplicationEnvelope.Trait(type: type, properties: trait["properties"], index: index,
                                                                  componentIndex: component.index))
            }
        }
    }

    /// `patch` merged into `base`: mappings key by key, anything else replaced (null leaves it).
    static func merge(_ base: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(var merged) = base, case .object(let changes) = patch else { return patch == .null ? base : patch }
        for member in changes where member.value != .null {
            merged[member.key] = merge(merged[member.key] ?? .null, member.value)
        }
        return .object(merged)
    }
}
