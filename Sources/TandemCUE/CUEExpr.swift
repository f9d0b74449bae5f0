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

public enum CUEInterpolationPart: Sendable {
    case text(String)
    case expression(CUEExpr)
}

public enum CUEListElement: Sendable {
    case expression(CUEExpr)
    case comprehension(CUEComprehension)
    /// `...` or `...T`: the list is open, further elements unify with T.
    case ellipsis(CUEExpr?, CUEPosition)
}

/// Unary and binary operators, spelled as in CUE.
public enum CUEOperator: String, Sendable {
    case or = "|", and = "&", logicalOr = "||", logicalAnd = "&&"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case match = "=~", notMatch = "!~"
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case not = "!"

    /// Binding strength of a binary operator; higher binds tighter.
    var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .logicalOr: return 3
        case .logicalAnd: return 4
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .match, .notMatch: return 5
        case .add, .subtract: return 6
        case .multiply, .divide: return 7
        case .not: return 0
        }
    }
}
