import TandemJSON

/// The validated parameters of a component or trait: the values, with the schema's defaults
/// filled in, and which of them took a default — everything else was written by the user.
public struct Parameters: Sendable {
    public var values: JSONValue
    /// Paths, relative to `values`, that hold a default rather than a given value.
    public var defaulted: Set<FieldPath>

    public init(_ values: JSONValue, defaulted: Set<FieldPath> = []) {
        self.values = values
        self.defaulted = defaulted
    }

    public init(_ result: SchemaValidator.Result) {
        self.init(result.value, defaulted: result.defaulted)
    }

    public subscript(key: String) -> JSONValue? { values[key] }

    /// Whether the user wrote `key`, as opposed to it being absent or taking its default.
    public func isGiven(_ key: String) -> Bool {
        values[key] != nil && !defaulted.contains([.key(key)])
    }
}
