import TandemJSON
import TandemModel

/// The two forms of KubeVela's container traits (env, command, container-image, container-ports,
/// securitycontext, startup-probe): the parameters for one container at the top, or a list of
/// them (`containers`, or `probes`), each naming its container.
package struct ContainerPatches: Sendable {
    /// The parameters for one container, `containerName` among them.
    package let single: Schema
    /// The key of the list form.
    package let listKey: String
    /// The trait's schema: either form.
    package let schema: Schema

    package init(_ single: Schema, listKey: String = "containers", listDescription: String) {
        self.single = single
        self.listKey = listKey
        var entry = single
        entry.kind = .object(single.properties.map { property in
            // Defaults are filled in per entry by `forEach`, which then knows which were given.
            var property = property
            if property.name == "containerName" {
                property.isRequired = true
                property.schema.format = .nonEmpty
            }
            if let defaultValue = property.schema.defaultValue {
                property.schema.description += " Default: \(JSONWriter.compact(defaultValue))."
                property.schema.defaultValue = nil
            }
            return property
        })
        entry.description = "The parameters for one container, named by containerName."
        var top = single
        top.kind = .object(single.properties + [.optional(listKey, .array(of: entry, listDescription, minItems: 1))])
        top.requiredUnlessGiven = listKey
        // What must be given for one container is asked for only when the list is not given.
        top.atMostOneOf = single.atMostOneOf + single.exactlyOneOf
        top.exactlyOneOf = []
        top.atLeastOneOf = (single.atLeastOneOf + single.exactlyOneOf).map { $0 + [listKey] }
        let required = single.properties.filter(\.isRequired).map { JSONValue.string($0.name) }
        top.editorConstraints = ["oneOf": [
            ["required": [.string(listKey)], "maxProperties": 1],
            ["not": ["required": [.string(listKey)]], "required": .array(required)],
        ]]
        schema = top
    }

    /// Calls `body` once per container the parameters address — with the parameters for it, and
    /// a context whose scope is where they were written — after reporting a list mixed with
    /// top-level parameters.
    package func forEach(_ properties: Parameters, context: RenderContext, _ body: (Parameters, RenderContext) -> Void) {
        guard let entries = properties[listKey]?.array else {
            body(properties, context)
            return
        }
        let mixed = (properties.values.object?.keys ?? []).filter { $0 != listKey && properties.isGiven($0) }
        if let first = mixed.first {
            context.scope.error("'\(first)' is given beside \(listKey); with \(listKey), each entry holds its own parameters",
                                at: [.key(first)], code: .conflictingProperties, hint: "move it into the entries of \(listKey)")
            return
        }
        for (index, entry) in entries.enumerated() {
            // In the order of the schema, as the validator leaves the top-level form.
            let given = entry.object ?? JSONObject()
            var values = JSONObject()
            var defaulted: Set<String> = []
            for property in single.properties {
                if let value = given[property.name] {
                    values.append(property.name, value)
                } else if let defaultValue = property.schema.defaultValue {
                    values.append(property.name, defaultValue)
                    defaulted.insert(property.name)
                }
            }
            var entryContext = context
            entryContext.scope = context.scope.scoped([.key(listKey), .index(index)])
            body(Parameters(.object(values), defaultedKeys: defaulted), entryContext)
        }
    }
}
