import TandemJSON
import TandemModel

/// The selector of the resource policies (garbage-collect, apply-once, read-only, take-over,
/// shared-resource, resource-update): which rendered objects a rule covers. Every given list
/// must match; an object matches a list when it is one of its entries.
public enum ResourceSelector {
    package static let schema = Schema.object("Which objects the rule covers: every list given must match.", [
        .optional("componentNames", .array(of: .string(format: .dns1123Label), "Objects of these components.")),
        .optional("componentTypes", .array(of: .string(format: .nonEmpty), "Objects of components of these types.")),
        .optional("oamTypes", .array(of: .oneOf(["COMPONENT", "TRAIT"]), "Workloads (COMPONENT) or objects made by traits (TRAIT).")),
        .optional("traitTypes", .array(of: .string(format: .nonEmpty), "Objects made by these traits.")),
        .optional("resourceTypes", .array(of: .string(format: .nonEmpty), "Objects of these kinds, such as Deployment.")),
        .optional("resourceNames", .array(of: .string(format: .nonEmpty), "Objects of these names.")),
    ])

    /// A list of rules, each with a selector and what `rule` adds.
    package static func rules(_ description: String, _ rule: [Property], selectorRequired: Bool = true) -> Schema {
        let selector: Property = selectorRequired ? .required("selector", schema) : .optional("selector", schema)
        return .array(of: .object("A rule.", [selector] + rule), description)
    }

    /// Whether a rendered object matches `selector` (a validated selector object): every list
    /// given must hold the object's value. Shared with the deploy lifecycle, which applies the
    /// deploy-time policies' rules.
    public static func matches(
        _ selector: JSONValue, kind: String, name: String, component: String, componentType: String, trait: String?
    ) -> Bool {
        func holds(_ key: String, _ value: String?) -> Bool {
            guard let list = selector[key]?.strings else { return true }
            return value.map(list.contains) ?? false
        }
        return holds("componentNames", component) && holds("componentTypes", componentType)
            && holds("oamTypes", trait == nil ? "COMPONENT" : "TRAIT") && holds("traitTypes", trait)
            && holds("resourceTypes", kind) && holds("resourceNames", name)
    }
}
