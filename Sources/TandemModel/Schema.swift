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

    /// The fields, shared between copies until one is changed: validation passes schemas around
    /// constantly, and a copy is then one reference, not fifteen.
    private final class Storage: @unchecked Sendable {
        var kind: Kind { didSet { propertyTable = Storage.table(for: kind) } }
        var description: String
        var defaultValue: JSONValue?
        var allowedValues: [String]?
        var range: ClosedRange<Int>?
        var format: StringFormat?
        var exactlyOneOf: [[String]]
        var atMostOneOf: [[String]]
        var uniqueKey: String?
        var minItems: Int?
        var checks: [Check]
        var noun: String?
        var choiceHint: String?
        var nullable: Bool
        var keyFormat: StringFormat?
        var misplacedKeys: [String: String]
        var isOpen: Bool
        var atLeastOneOf: [[String]]
        var editorConstraints: JSONObject
        var requiredUnlessGiven: String?

        /// Property positions by name, for objects with many properties; built with the kind,
        /// never lazily (schemas are shared between threads).
        private(set) var propertyTable: [String: Int]?

        static func table(for kind: Kind) -> [String: Int]? {
            guard case .object(let properties) = kind, properties.count > 6 else { return nil }
            return Dictionary(properties.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        }

        init(kind: Kind, description: String, defaultValue: JSONValue?) {
            self.kind = kind
            propertyTable = Storage.table(for: kind)
            self.description = description
            self.defaultValue = defaultValue
            allowedValues = nil
            range = nil
            format = nil
            exactlyOneOf = []
            atMostOneOf = []
            uniqueKey = nil
            minItems = nil
            checks = []
            noun = nil
            choiceHint = nil
            nullable = false
            keyFormat = nil
            misplacedKeys = [:]
            isOpen = false
            atLeastOneOf = []
            editorConstraints = JSONObject()
            requiredUnlessGiven = nil
        }

        init(copying other: Storage) {
            kind = other.kind
            propertyTable = other.propertyTable
            description = other.description
            defaultValue = other.defaultValue
            allowedValues = other.allowedValues
            range = other.range
            format = other.format
            exactlyOneOf = other.exactlyOneOf
            atMostOneOf = other.atMostOneOf
            uniqueKey = other.uniqueKey
            minItems = other.minItems
            checks = other.checks
            noun = other.noun
            choiceHint = other.choiceHint
            nullable = other.nullable
            keyFormat = other.keyFormat
            misplacedKeys = other.misplacedKeys
            isOpen = other.isOpen
            atLeastOneOf = other.atLeastOneOf
            editorConstraints = other.editorConstraints
            requiredUnlessGiven = other.requiredUnlessGiven
        }
    }

    private var storage: Storage

    /// The storage, copied first if another schema shares it (copy on write).
    private mutating func writable() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(copying: storage) }
        return storage
    }

    /// What values it takes.
    public var kind: Kind {
        get { storage.kind }
        set { writable().kind = newValue }
    }
    public var description: String {
        get { storage.description }
        set { writable().description = newValue }
    }
    public var defaultValue: JSONValue? {
        get { storage.defaultValue }
        set { writable().defaultValue = newValue }
    }
    /// For strings: the accepted values.
    public var allowedValues: [String]? {
        get { storage.allowedValues }
        set { writable().allowedValues = newValue }
    }
    /// For integers: the accepted range.
    public var range: ClosedRange<Int>? {
        get { storage.range }
        set { writable().range = newValue }
    }
    public var format: StringFormat? {
        get { storage.format }
        set { writable().format = newValue }
    }
    /// For objects: groups of properties of which exactly one must be set (a probe's handlers).
    public var exactlyOneOf: [[String]] {
        get { storage.exactlyOneOf }
        set { writable().exactlyOneOf = newValue }
    }
    /// For objects: groups of properties of which at most one may be set (`value`, `valueFrom`).
    public var atMostOneOf: [[String]] {
        get { storage.atMostOneOf }
        set { writable().atMostOneOf = newValue }
    }
    /// For lists of objects: a property whose values must differ between items.
    public var uniqueKey: String? {
        get { storage.uniqueKey }
        set { writable().uniqueKey = newValue }
    }
    public var minItems: Int? {
        get { storage.minItems }
        set { writable().minItems = newValue }
    }
    public var checks: [Check] {
        get { storage.checks }
        set { writable().checks = newValue }
    }
    /// For objects: what one such object is called in messages ("a probe").
    public var noun: String? {
        get { storage.noun }
        set { writable().noun = newValue }
    }
    /// For objects: advice shown when a choice of `exactlyOneOf` is made twice.
    public var choiceHint: String? {
        get { storage.choiceHint }
        set { writable().choiceHint = newValue }
    }
    /// Whether `null` is accepted as a value (validates to `.null`).
    public var nullable: Bool {
        get { storage.nullable }
        set { writable().nullable = newValue }
    }
    /// For maps: the rule their keys follow.
    /// For objects: keys people bring from elsewhere (Kubernetes' own field names), with the
    /// advice to give when one is written instead of a property.
    public var misplacedKeys: [String: String] {
        get { storage.misplacedKeys }
        set { writable().misplacedKeys = newValue }
    }

    /// For objects: whether properties not listed are accepted as they are (the fields of a
    /// Kubernetes object that Tandem does not check).
    public var isOpen: Bool {
        get { storage.isOpen }
        set { writable().isOpen = newValue }
    }

    /// For objects: groups of properties of which at least one must be set (a trait that would
    /// otherwise change nothing).
    public var atLeastOneOf: [[String]] {
        get { storage.atLeastOneOf }
        set { writable().atLeastOneOf = newValue }
    }

    /// JSON Schema keywords that say, for editors, what a check of this schema says with a
    /// better message (`minProperties` for a check that asks for one route). Stated here, beside
    /// the check, so that the editor's schema refuses what validation refuses.
    public var editorConstraints: JSONObject {
        get { storage.editorConstraints }
        set { writable().editorConstraints = newValue }
    }

    /// For objects: a property that, when given, takes the place of the required ones (a
    /// trait's list of per-container entries beside the parameters for one container).
    public var requiredUnlessGiven: String? {
        get { storage.requiredUnlessGiven }
        set { writable().requiredUnlessGiven = newValue }
    }

    public var keyFormat: StringFormat? {
        get { storage.keyFormat }
        set { writable().keyFormat = newValue }
    }

    public init(_ kind: Kind, _ description: String = "", default defaultValue: JSONValue? = nil) {
        storage = Storage(kind: kind, description: description, defaultValue: defaultValue)
    }

    public var properties: [Property] {
        if case .object(let properties) = kind { return properties }
        return []
    }

    /// The position of the property `name` among `properties`: looked up in a table built once
    /// per schema when there are many, else by a scan (faster for a few).
    public func indexOfProperty(named name: String) -> Int? {
        if let table = storage.propertyTable { return table[name] }
        return properties.firstIndex { $0.name == name }
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
        exactlyOneOf: [[String]] = [], choiceHint: String? = nil, atMostOneOf: [[String]] = [], atLeastOneOf: [[String]] = [],
        checks: [Check] = [], editorConstraints: JSONObject = JSONObject()
    ) -> Schema {
        var schema = Schema(.object(properties), description)
        schema.atLeastOneOf = atLeastOneOf
        schema.editorConstraints = editorConstraints
        schema.noun = noun
        schema.choiceHint = choiceHint
        schema.exactlyOneOf = exactlyOneOf
        schema.atMostOneOf = atMostOneOf
        schema.checks = checks
        return schema
    }

    /// An object whose listed properties are checked and whose other properties are kept as
    /// they are: part of a Kubernetes object.
    public static func openObject(_ description: String = "", _ properties: [Property], checks: [Check] = []) -> Schema {
        var schema = object(description, properties, checks: checks)
        schema.isOpen = true
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
