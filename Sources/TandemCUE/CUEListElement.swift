/// An element of a list literal.
public enum CUEListElement: Sendable {
    case expression(CUEExpr)
    case comprehension(CUEComprehension)
    /// `...` or `...T`: the list is open, further elements unify with T.
    case ellipsis(CUEExpr?, CUEPosition)
}
