/// Bounds on what one input may cost, so hostile YAML ends in a diagnostic, not exhaustion.
public struct ReadLimits: Sendable {
    /// Largest input accepted, in bytes.
    public var maxBytes: Int = 16 << 20
    /// Deepest nesting of mappings and lists.
    public var maxDepth: Int = 100
    /// Most nodes that aliases may add by repeating anchored nodes, per file.
    public var maxAliasExpansion: Int = 100_000
    /// Most documents per file.
    public var maxDocuments: Int = 1_000
    /// Longest scalar (a string value or key), in bytes.
    public var maxScalarBytes: Int = 1 << 20

    public init() {}

    public static let `default` = ReadLimits()
}
