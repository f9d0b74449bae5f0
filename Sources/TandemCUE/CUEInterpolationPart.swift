/// A piece of an interpolated string.
public enum CUEInterpolationPart: Sendable {
    case text(String)
    case expression(CUEExpr)
}
