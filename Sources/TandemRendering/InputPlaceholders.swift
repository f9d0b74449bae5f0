import TandemJSON
import TandemModel

/// A step's properties that its inputs fill in when it runs (`parameterKey`), stood in for while
/// they are validated: a required property given by an input is not missing (KubeVela checks a
/// step's parameters once its inputs are in). Each stand-in is a value of the type the
/// schema asks for there, taken out again once validated.
struct InputPlaceholders {
    let paths: [[String]]

    init(_ inputs: [Application.WorkflowStep.Input]) {
        paths = inputs.compactMap(\.parameterPath)
    }

    /// `properties` with a stand-in at each input's path the properties do not give.
    func filling(_ properties: JSONValue?, schema: Schema) -> JSONValue? {
        var result = properties
        for path in paths where result?[path: path] == nil {
            if case .unknown = Self.lookup(path, in: schema) { continue }  // reported at the input
            result = Self.setting(Self.standIn(for: Self.schema(at: path, in: schema)), at: path, in: result ?? .object([:]))
        }
        return result
    }

    /// The validated properties without the stand-ins that `filling` put in.
    func removing(from validated: JSONValue, given properties: JSONValue?) -> JSONValue {
        var result = validated
        for path in paths where properties?[path: path] == nil { result = Self.removing(path, from: result) }
        return result
    }

    /// What the schema says of a path into the properties.
    enum Lookup {
        case schema(Schema)
        /// Somewhere anything goes (an open object, `any`).
        case open
        /// `key` is no property of the object the path goes through.
        case unknown(key: String)
    }

    static func lookup(_ path: [String], in schema: Schema) -> Lookup {
        var current = schema
        for key in path {
            switch current.kind {
            case .object:
                guard let property = current.property(named: key) else { return current.isOpen ? .open : .unknown(key: key) }
                current = property.schema
            case .map(let value): current = value
            default: return .open
            }
        }
        return .schema(current)
    }

    private static func schema(at path: [String], in schema: Schema) -> Schema? {
        if case .schema(let found) = lookup(path, in: schema) { return found }
        return nil
    }

    private static func standIn(for schema: Schema?) -> JSONValue {
        guard let schema else { return "input" }
        switch schema.kind {
        case .string: return .string(schema.allowedValues?.first ?? "input")
        case .integer, .number: return .int(schema.range?.lowerBound ?? 0)
        case .boolean: return false
        case .quantity: return "1"
        case .port: return 1
        case .array: return []
        case .object, .map: return .object([:])
        default: return "input"
        }
    }

    private static func setting(_ value: JSONValue, at path: [String], in object: JSONValue) -> JSONValue {
        guard let key = path.first else { return value }
        var members = object.object ?? JSONObject()
        let inner = setting(value, at: Array(path.dropFirst()), in: members[key] ?? .object([:]))
        if members[key] == nil { members.append(key, inner) } else { members[key] = inner }
        return .object(members)
    }

    private static func removing(_ path: [String], from value: JSONValue) -> JSONValue {
        guard let key = path.first, var members = value.object, let inner = members[key] else { return value }
        members[key] = path.count == 1 ? nil : removing(Array(path.dropFirst()), from: inner)
        return .object(members)
    }
}
