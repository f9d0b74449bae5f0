/// The meet of basic values: concrete values, types and bounds.
extension Evaluator {
    func unify(_ a: Value, _ b: Value, at position: CUEPosition) -> Value {
        switch (a, b) {
        case (.top, _): return b
        case (_, .top): return a
        case (.bottom, _): return a
        case (_, .bottom): return b
        case (.scalar(let x), .scalar(let y)):
            if x == y { return a }
            return .bottom(conflict(a, b, at: position))
        case (.constraint(let kinds, let bounds), .scalar(let scalar)), (.scalar(let scalar), .constraint(let kinds, let bounds)):
            guard kinds.contains(scalar.kind) else { return .bottom(conflict(a, b, at: position)) }
            for bound in bounds {
                do {
                    guard try bound.admits(scalar, regexCache: regexCache) else {
                        return .bottom(CUEError(.eval, "invalid value \(scalar.description) (out of bound \(bound.description))", at: position))
                    }
                } catch {
                    return .bottom(error.located(at: position))
                }
            }
            return .scalar(scalar)
        case (.constraint(let kindsA, let boundsA), .constraint(let kindsB, let boundsB)):
            let kinds = kindsA.intersection(kindsB)
            guard !kinds.isEmpty else { return .bottom(conflict(a, b, at: position)) }
            var bounds = boundsA
            for bound in boundsB where !bounds.contains(bound) { bounds.append(bound) }
            return .constraint(kinds, bounds)
        default:
            return .bottom(conflict(a, b, at: position))
        }
    }

    /// `conflicting values a and b`, with the mismatched types when the kinds differ.
    func conflict(_ a: Value, _ b: Value, at position: CUEPosition) -> CUEError {
        var message = "conflicting values \(a.description) and \(b.description)"
        if a.kinds.intersection(b.kinds).isEmpty {
            message += " (mismatched types \(a.kinds.name) and \(b.kinds.name))"
        }
        return CUEError(.eval, message, at: position)
    }
}
