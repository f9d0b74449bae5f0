/// An expression of CUE source, with its position. Immutable, shared by every evaluation.
public final class CUEExpr: Sendable {
    public indirect enum Kind: Sendable {
        case identifier(String)
        case selector(CUEExpr, String)
        case index(CUEExpr, CUEExpr)
        case slice(CUEExpr, CUEExpr?, CUEExpr?)
        case call(CUEExpr, [CUEExpr])
        case unary(CUEOperator, CUEExpr)
        case binary(CUEOperator, CUEExpr, CUEExpr)
        case null
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(String)
        case bytes(String)
        case interpolation([CUEInterpolationPart], bytes: Bool)
        case top
        case bottom
        case structLiteral(CUEStruct)
        case listLiteral([CUEListElement])
        case parenthesized(CUEExpr)
    }

    public let kind: Kind
    public let position: CUEPosition

    public init(_ kind: Kind, at position: CUEPosition) {
        self.kind = kind
        self.position = position
    }
}
