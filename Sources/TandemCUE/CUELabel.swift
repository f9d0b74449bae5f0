/// The label of a field.
public enum CUELabel: Sendable {
    /// `name`, `#Def`, `_hidden`: can be referenced.
    case identifier(String)
    /// `"quoted name"`: a regular field that cannot be referenced by name.
    case string(String)
    /// `(expr)` or `"\(interpolated)"`: computed while evaluating.
    case dynamic(CUEExpr)
}
