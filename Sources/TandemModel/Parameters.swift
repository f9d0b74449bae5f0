import TandemJSON

/// The validated parameters of a component or trait: the values, with the schema's defaults
/// filled in, and which of them took a default — everything else was written by the user.
public struct Parameters: Sendable {
    public var values: JSONValue {
        didSet { settled = nil }  // settled from the values as they were
    }
    /// The values as the definition's own evaluation settled them (its defaults filled in),
    /// when that evaluation found them complete and independent of what rendering adds:
    /// rendering then starts from these rather than evaluating the parameters again.
    public var settled: JSONValue?
    /// The top-level keys that hold a default rather than a given value.
    public var defaultedKeys: Set<String>

    public init(_ values: JSONValue, defaultedKeys: Set<String> = []) {
        self.values = values
        self.defaultedKeys = defaultedKeys
    }

    public init(_ result: SchemaValidator.Result) {
        self.init(result.value, defaultedKeys: result.defaultedKeys)
    }

    public subscript(key: String) -> JSONValue? { values[key] }

    /// Whether the user wrote `key`, as opposed to it being absent or taking its default.
    public func isGiven(_ key: String) -> Bool {
        values[key] != nil && !defaultedKeys.contains(key)
    }
}
