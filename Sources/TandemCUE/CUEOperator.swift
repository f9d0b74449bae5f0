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
