/// One declaration of a struct literal.
public enum CUEDeclaration: Sendable {
    case field(CUEField)
    /// `[pattern]: value` or `[Name=pattern]: value`: a constraint on every field whose label
    /// matches `pattern` (`Name` is the label inside `value`).
    case pattern(CUEExpr, alias: String?, CUEExpr, CUEPosition)
    case embedding(CUEExpr)
    case ellipsis(CUEExpr?, CUEPosition)
    case letClause(String, CUEExpr, CUEPosition)
    case comprehension(CUEComprehension)
    case attribute(String, CUEPosition)
}
