/// Bounds on what one input may cost, so that hostile input ends in a diagnostic, not in
/// exhaustion. One value, passed through the options to every stage that enforces a bound.
public struct InputLimits: Sendable, Hashable {
    /// Largest input accepted, in bytes.
    public var maxBytes = 16 << 20
    /// Deepest nesting of mappings and lists.
    public var maxDepth = 100
    /// Most nodes that aliases may add by repeating anchored nodes, per document.
    public var maxAliasExpansion = 100_000
    /// Most documents per file.
    public var maxDocuments = 1_000
    /// Longest scalar (a string value or key), in bytes.
    public var maxScalarBytes = 1 << 20
    /// Most components in one Application.
    public var maxComponents = 1_000
    /// Most traits on one component.
    public var maxTraits = 100
    /// Most items of any list, or entries of any map with free keys, in validated parameters.
    public var maxItems = 1_000
    /// Most diagnostics shown; past it the rest are counted.
    public var maxDiagnostics = 1_000
    /// Most nodes and deepest nesting of a document a patch produces (`copy` can double it).
    public var maxPatchNodes = 100_000
    public var maxPatchDepth = 100

    public init() {}

    public static let `default` = InputLimits()
}
