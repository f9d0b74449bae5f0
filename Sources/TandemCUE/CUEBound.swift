/// A bound such as `>=1`, `!="x"` or `=~"^a"`: a constraint a concrete value must satisfy.
struct CUEBound: Sendable, Hashable, CustomStringConvertible {
    var op: CUEOperator
    var value: CUEScalar

    var description: String { op.rawValue + value.description }

    /// The kinds of value this bound can apply to.
    var kinds: CUEKind {
        switch op {
        case .match, .notMatch: return .string
        case .notEqual: return .all
        default:
            switch value {
            case .string: return .string
            case .bytes: return .bytes
            default: return .number
            }
        }
    }

    /// Whether `scalar` satisfies the bound; `nil` when the comparison makes no sense.
    func admits(_ scalar: CUEScalar, regexCache: CUERegexCache) throws(CUEError) -> Bool {
        switch op {
        case .notEqual: return scalar != value
        case .match, .notMatch:
            guard case .string(let text) = scalar, case .string(let pattern) = value else { return false }
            let matched = try regexCache.regex(pattern).matches(text)
            return op == .match ? matched : !matched
        default:
            guard let order = scalar.compare(to: value) else { return false }
            switch op {
            case .less: return order < 0
            case .lessEqual: return order <= 0
            case .greater: return order > 0
            case .greaterEqual: return order >= 0
            default: return false
            }
        }
    }
}
