/// What a value allows, for describing it outside CUE (a JSON Schema of a definition's
/// `parameter`): its kinds, numeric bounds, and whether a struct is closed.
extension CUEValue {
    /// The kinds the value may take, by CUE's names (`null`, `bool`, `int`, `float`, `string`,
    /// `bytes`, `struct`, `list`); for a disjunction, those of every alternative.
    public var kindNames: Set<String> {
        evaluator.evaluate(vertex)
        let vertices = vertex.disjuncts.isEmpty ? [vertex] : vertex.disjuncts.map(\.vertex)
        var kinds: CUEKind = []
        for candidate in vertices {
            if candidate.isList { kinds.insert(.list) } else if candidate.isStruct { kinds.insert(.structure) } else { kinds.formUnion(candidate.value.kinds) }
        }
        let names: [(CUEKind, String)] = [(.null, "null"), (.bool, "bool"), (.int, "int"), (.float, "float"),
                                          (.string, "string"), (.bytes, "bytes"), (.structure, "struct"), (.list, "list")]
        return Set(names.filter { kinds.contains($0.0) }.map(\.1))
    }

    /// The bounds on a number (`>=1 & <=100`), made inclusive for integers; nil where unbounded.
    public var integerBounds: (lower: Int?, upper: Int?) {
        evaluator.evaluate(vertex)
        // In `*8080 | int & >=1`, the bounds are the non-default alternative's.
        let candidates = vertex.disjuncts.isEmpty ? [vertex] : vertex.disjuncts.map(\.vertex)
        let constrained = candidates.lazy.compactMap { candidate -> [CUEBound]? in
            if case .constraint(_, let bounds) = candidate.value { return bounds }
            return nil
        }
        guard let bounds = constrained.first else { return (nil, nil) }
        var lower: Int?
        var upper: Int?
        for bound in bounds {
            guard case .int(let limit) = bound.value else { continue }
            switch bound.op {
            case .greaterEqual: lower = max(lower ?? limit, limit)
            case .greater: lower = max(lower ?? limit + 1, limit + 1)
            case .lessEqual: upper = min(upper ?? limit, limit)
            case .less: upper = min(upper ?? limit - 1, limit - 1)
            default: break
            }
        }
        return (lower, upper)
    }

    /// Whether the value is a struct that admits no field beyond those it declares (a definition,
    /// `close()`), and has no `...`.
    public var isClosedStruct: Bool {
        evaluator.evaluate(vertex)
        guard let resolved = evaluator.resolvedDisjunct(vertex), resolved.isStruct else { return false }
        return resolved.groups.contains { $0.isClosed && !$0.isOpen }
    }
}
