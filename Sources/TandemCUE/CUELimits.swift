/// Bounds on the work one evaluation may do, so that hostile input ends in a located error in
/// bounded time and memory instead of a crash or a hang.
public struct CUELimits: Sendable, Hashable {
    /// Nesting of syntax (brackets, operators) the parser accepts, and depth of evaluation.
    public var maxDepth: Int
    /// Work over one context's lifetime: each vertex evaluated or created, each conjunct and
    /// expression. It also bounds memory, since every value in the tree costs steps.
    public var maxSteps: Int
    /// Branch combinations tried for the disjunctions of one field (the product of their sizes).
    public var maxDisjunctions: Int
    /// Length in bytes of any string a CUE operation builds.
    public var maxStringLength: Int
    /// Elements of a list or iterations of a comprehension.
    public var maxListLength: Int

    public init(maxDepth: Int = 200, maxSteps: Int = 1_000_000, maxDisjunctions: Int = 1_024,
                maxStringLength: Int = 4 << 20, maxListLength: Int = 100_000) {
        self.maxDepth = maxDepth
        self.maxSteps = maxSteps
        self.maxDisjunctions = maxDisjunctions
        self.maxStringLength = maxStringLength
        self.maxListLength = maxListLength
    }

    public static let `default` = CUELimits()
}
