import TandemJSON

/// The parameter schema of a definition: one value that drives validation, defaults,
/// `tandem show`, `tandem schema` and the reference docs.
public struct Schema: Sendable {
    public indirect enum Kind: Sendable {
        case string
        case integer
        case number
        case boolean
        /// A Kubernetes resource quantity (`500m`, `1Gi`), written as a string or a number.
        case quantity
        /// A port: a number from 1 to 65535, or the name of a container port.
        case port
        /// Any YAML value, taken as it is.
        case any
        /// Checked later, against a schema chosen by a neighbouring value (a component's
        /// `properties`, by its `type`); validates to `null` here.
        case deferred
        case array(Schema)
        case object([Property])
        /// A mapping with free keys, each value described by the schema.
        case map(Schema)
    }

    /// A check that the fields of a schema cannot express, run on the validated object.
    public typealias Check = @Sendable (_ object: JSONObject, _ scope: DiagnosticScope) -> Void

    public var kind: Kind
    public var description: String
    public var defaultValue: JSONValue?
    /// For strings: the accepted values.
    public var allowedValues: [String]?
    /// For integers: the accepted range.
    public var range: ClosedRange<Int>?
    public var format: StringFormat?
    /// For objects: groups of properties of which exactly one must be set (a probe's handlers).
    public var exactlyOneOf: [[String]] = []
    /// For objects: groups of properties of which at most one may be set (`value`, `valueFrom`).
    public var atMostOneOf: [[String]] = []
    /// For lists of objects: a property whose values must differ between items.
    public var uniqueKey: String?
    public var minItems: Int?
    public var checks: [Check] = []
    /// For objects: what one such object is called in messages ("a probe").
    public var noun: String?
    /// For objects: advice shown when a choice of `exactlyOneOf` is made twice.
    public var choiceHint: String?
    /// Whether `null` is accepted as a value (validates to `.null`).
    public var nullable = false
    /// For maps: the rule their keys follow.
    public var keyFormat: StringFormat?

    public init(_ kind: Kind, _ description: String = "", default defaultValue: JSONValue? = nil) {
        self.kind = kind
        self.description = description
        self.defaultValue = defaultValue
    }

    public var properties: [Property] {
        if case .object(let properties) = kind { return properties }
        return []
    }

    public func property(named name: String) -> Property? {
        properties.first { $0.name == name }
    }
}

/// A named property of an object schema.
public struct Property: Sendable {
    public var name: String
    public var schema: Schema
    public var isRequired: Bool

    public init(_ name: String, _ schema: Schema, required: Bool) {
        self.name = name
        self.schema = schema
        self.isRequired = required
    }

    public static func required(_ name: String, _ schema: Schema) -> Property {
        Property(name, schema, required: true)
    }

    public static func optional(_ name: String, _ schema: Schema) -> Property {
        Property(name, schema, required: false)
    }
}

// MARK: - Building schemas

extension Schema {
    public static func string(
        _ description: String = "", format: StringFormat? = nil, default defaultValue: String? = nil
    ) -> Schema {
        var schema = Schema(.string, description, default: defaultValue.map(JSONValue.string))
        schema.format = format
        return schema
    }

    public static func oneOf(_ values: [String], _ description: String = "", default defaultValue: String? = nil) -> Schema {
        var schema = Schema(.string, description, default: defaultValue.map(JSONValue.string))
        schema.allowedValues = values
        return schema
    }

    public static func integer(
        _ description: String = "", range: ClosedRange<Int>? = nil, default defaultValue: Int? = nil
    ) -> Schema {
        var schema = Schema(.integer, description, default: defaultValue.map(JSONValue.int))
        schema.range = range
        return schema
    }

    public static func boolean(_ description: String = "", default defaultValue: Bool? = nil) -> Schema {
        Schema(.boolean, description, default: defaultValue.map(JSONValue.bool))
    }

    public static func quantity(_ description: String = "") -> Schema {
        Schema(.quantity, description)
    }

    public static func port(_ description: String = "") -> Schema {
        Schema(.port, description)
    }

    public static func any(_ description: String = "") -> Schema {
        Schema(.any, description)
    }

    public static func deferred(_ description: String = "") -> Schema {
        Schema(.deferred, description)
    }

    public static func array(
        of item: Schema, _ description: String = "", uniqueKey: String? = nil, minItems: Int? = nil
    ) -> Schema {
        var schema = Schema(.array(item), description)
        schema.uniqueKey = uniqueKey
        schema.minItems = minItems
        return schema
    }

    public static func object(
        _ description: String = "", _ properties: [Property], noun: String? = nil,
        exactlyOneOf: [[String]] = [], choiceHint: String? = nil, atMostOneOf: [[String]] = [], checks: [Check] = []
    ) -> Schema {
        var schema = Schema(.object(properties), description)
        schema.noun = noun
        schema.choiceHint = choiceHint
        schema.exactlyOneOf = exactlyOneOf
        schema.atMostOneOf = atMostOneOf
        schema.checks = checks
        return schema
    }

    public static func map(of value: Schema, _ description: String = "", keyFormat: StringFormat? = nil) -> Schema {
        var schema = Schema(.map(value), description)
        schema.keyFormat = keyFormat
        return schema
    }

    /// The same schema, accepting `null` too.
    public var orNull: Schema {
        var copy = self
        copy.nullable = true
        return copy
    }

    /// The same schema with another description, for reusing a shape under a new name.
    public func described(_ description: String) -> Schema {
        var copy = self
        copy.description = description
        return copy
    }
}
