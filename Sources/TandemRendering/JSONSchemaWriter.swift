import TandemDefinitions
import TandemJSON
import TandemModel
import TandemParsing

/// A JSON Schema (draft-07) for Application files, for editors such as yaml-language-server:
/// each component and trait entry gets the `properties` schema of its `type` through if/then.
public enum JSONSchemaWriter {
    public static func applicationSchema(registry: DefinitionRegistry) -> JSONValue {
        var root = convert(ApplicationSchema.document).object ?? JSONObject()
        root.insert("$schema", "http://json-schema.org/draft-07/schema#", before: root.keys)
        root.insert("title", "Tandem Application (core.oam.dev/v1beta1)", before: Array(root.keys.dropFirst()))
        var json = JSONValue.object(root)

        let componentPath = ["properties", "spec", "properties", "components", "items"]
        var component = json[path: componentPath] ?? [:]
        component["properties"]?["type"]?["enum"] = .array(registry.componentNames.map(JSONValue.string))
        component["allOf"] = .array(registry.componentNames.compactMap { name in
            registry.components[name].map { conditional(type: name, schema: $0.parameters) }
        })
        var trait = component[path: ["properties", "traits", "items"]] ?? [:]
        trait["properties"]?["type"]?["enum"] = .array(registry.traitNames.map(JSONValue.string))
        trait["allOf"] = .array(registry.traitNames.compactMap { name in
            registry.traits[name].map { conditional(type: name, schema: $0.parameters) }
        })
        component[path: ["properties", "traits", "items"]] = trait
        json[path: componentPath] = component

        let policyPath = ["properties", "spec", "properties", "policies", "items"]
        json[path: policyPath] = typed(json[path: policyPath], names: registry.policyNames) { registry.policies[$0]?.parameters }
        let stepPath = ["properties", "spec", "properties", "workflow", "properties", "steps", "items"]
        var step = typed(json[path: stepPath], names: registry.workflowStepNames) { registry.workflowSteps[$0]?.parameters }
        step[path: ["properties", "subSteps", "items"]] = typed(step[path: ["properties", "subSteps", "items"]],
                                                                 names: registry.workflowStepNames) { registry.workflowSteps[$0]?.parameters }
        json[path: stepPath] = step
        return json
    }

    /// An entry whose `type` is one of `names` and whose `properties` follow that type's schema.
    static func typed(_ entry: JSONValue?, names: [String], schema: (String) -> Schema?) -> JSONValue {
        var entry = entry ?? [:]
        entry["properties"]?["type"]?["enum"] = .array(names.map(JSONValue.string))
        entry["allOf"] = .array(names.compactMap { name in schema(name).map { conditional(type: name, schema: $0) } })
        return entry
    }

    /// `if type is <name> then properties follows <schema>`.
    static func conditional(type: String, schema: Schema) -> JSONValue {
        ["if": ["properties": ["type": ["const": .string(type)]], "required": ["type"]],
         "then": ["properties": ["properties": convert(schema)]]]
    }

    /// The JSON Schema of one parameter schema.
    public static func convert(_ schema: Schema) -> JSONValue {
        var object = JSONObject()
        if !schema.description.isEmpty { object.append("description", .string(schema.description)) }
        switch schema.kind {
        case .string:
            object.append("type", "string")
            if let values = schema.allowedValues { object.append("enum", .array(values.map(JSONValue.string))) }
            if let format = schema.format {
                object.append("pattern", .string(format.pattern))
                if format == .dns1123Label { object.append("maxLength", 63) }
                if format == .dns1123Subdomain || format == .hostName { object.append("maxLength", 253) }
                if format == .portName { object.append("maxLength", 15) }
            }
        case .integer:
            object.append("type", "integer")
            // Integers are 64-bit: a bigger number is refused, so the schema says so too.
            object.append("minimum", .int(schema.range?.lowerBound ?? Int.min))
            object.append("maximum", .int(schema.range?.upperBound ?? Int.max))
        case .number:
            object.append("type", "number")
        case .boolean:
            object.append("type", "boolean")
        case .quantity:
            object.append("anyOf", [
                ["type": "string", "pattern": "^\\+?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$"],
                ["type": "number", "minimum": 0],
            ])
        case .port:
            object.append("anyOf", [
                ["type": "integer", "minimum": 1, "maximum": 65535],
                ["type": "string", "pattern": .string(StringFormat.portName.pattern), "maxLength": 15],
            ])
        case .any, .deferred:
            break
        case .array(let item):
            object.append("type", "array")
            object.append("items", convert(item))
            object.append("maxItems", .int(InputLimits.default.maxItems))
            if let minItems = schema.minItems { object.append("minItems", .int(minItems)) }
        case .map(let value):
            object.append("type", "object")
            object.append("additionalProperties", convert(value))
            if let keyFormat = schema.keyFormat { object.append("propertyNames", ["pattern": .string(keyFormat.pattern)]) }
            object.append("maxProperties", .int(InputLimits.default.maxItems))
        case .object(let properties):
            object.append("type", "object")
            var members = JSONObject()
            for property in properties { members.append(property.name, convert(property.schema)) }
            object.append("properties", .object(members))
            let required = properties.filter(\.isRequired).map { JSONValue.string($0.name) }
            if !required.isEmpty, schema.requiredUnlessGiven == nil { object.append("required", .array(required)) }
            object.append("additionalProperties", .bool(schema.isOpen))
            var constraints: [JSONValue] = schema.exactlyOneOf.map { group in
                ["oneOf": .array(group.map { ["required": [.string($0)]] })]
            }
            constraints += schema.atMostOneOf.map { group in
                ["not": ["required": .array(group.map(JSONValue.string))]]
            }
            constraints += schema.atLeastOneOf.map { group in
                ["anyOf": .array(group.map { ["required": [.string($0)]] })]
            }
            if !constraints.isEmpty { object.append("allOf", .array(constraints)) }
        }
        for member in schema.editorConstraints { object[member.key] = member.value }
        if let defaultValue = schema.defaultValue { object.append("default", defaultValue) }
        guard schema.nullable else { return .object(object) }
        return ["anyOf": [.object(object), ["type": "null"]]]
    }
}
