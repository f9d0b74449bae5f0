/// A JSON value whose objects keep their keys in insertion order, so output is deterministic.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// An integer or a double, as a double.
    public var double: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    public var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var object: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// The strings of an array value; `nil` when this is not an array of strings.
    public var strings: [String]? {
        guard case .array(let items) = self else { return nil }
        var result: [String] = []
        result.reserveCapacity(items.count)
        for item in items {
            guard let text = item.string else { return nil }
            result.append(text)
        }
        return result
    }

    /// The member `key` of an object value; `nil` for other values or a missing key.
    public subscript(key: String) -> JSONValue? {
        get { object?[key] }
        set {
            guard case .object(var members) = self else { return }
            self = .null  // drop our reference so the mutation below does not copy
            members[key] = newValue
            self = .object(members)
        }
    }

    /// The value at a path of object keys, created as empty objects on write where missing.
    public subscript(path path: [String]) -> JSONValue? {
        get {
            var current: JSONValue? = self
            for key in path { current = current?[key] }
            return current
        }
        set {
            guard let key = path.first else {
                if let newValue { self = newValue }
                return
            }
            guard case .object(var members) = self else { return }
            self = .null
            if path.count == 1 {
                members[key] = newValue  // nil removes the key
            } else {
                var child = members[key] ?? .object(JSONObject())
                child[path: Array(path.dropFirst())] = newValue
                members[key] = child
            }
            self = .object(members)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { JSONObject.Member(key: $0.0, value: $0.1) }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: CustomStringConvertible {
    /// The value as it reads in a message: a string as it is, anything else as compact JSON.
    public var description: String {
        if case .string(let text) = self { return text }
        return JSONWriter.compact(self)
    }
}
