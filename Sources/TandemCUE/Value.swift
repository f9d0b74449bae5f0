/// The value of an expression or a vertex, before or after unification.
enum Value {
    case top
    case bottom(CUEError)
    case scalar(CUEScalar)
    /// A type with bounds: `int & >=1`, `string`, `!=""`.
    case constraint(CUEKind, [CUEBound])
    /// A struct or list, evaluated (or being evaluated) in a vertex.
    case composite(Vertex)
    /// A builtin function, such as `len` or `strings.Join`.
    case builtin(String)
    /// An imported package, such as `strings`.
    case package(String)
    /// A validator a vertex must satisfy once evaluated, like `struct.MinFields(1)`.
    case validator(Validator)

    var isBottom: Bool {
        if case .bottom = self { return true }
        return false
    }

    var isConcreteScalar: Bool {
        if case .scalar = self { return true }
        return false
    }

    /// The value as CUE writes it in messages.
    var description: String {
        switch self {
        case .top: return "_"
        case .bottom: return "_|_"
        case .scalar(let scalar): return scalar.description
        case .constraint(let kinds, let bounds):
            var parts: [String] = []
            let implied = bounds.reduce(CUEKind.all) { $0.intersection($1.kinds) }
            if kinds != implied || bounds.isEmpty { parts.append(kinds.name) }
            parts += bounds.map(\.description)
            return parts.joined(separator: " & ")
        case .composite(let vertex): return vertex.isList ? "[...]" : "{...}"
        case .builtin(let name): return name
        case .validator(let validator): return validator.description
        case .package(let name): return name
        }
    }

    var kinds: CUEKind {
        switch self {
        case .top: return .all
        case .bottom: return []
        case .scalar(let scalar): return scalar.kind
        case .constraint(let kinds, _): return kinds
        case .composite(let vertex): return vertex.isList ? .list : .structure
        case .builtin, .package: return []
        case .validator: return .structure
        }
    }
}
