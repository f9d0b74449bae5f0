/// Disjunctions: each branch is tried in a copy of the vertex holding all its other conjuncts;
/// branches that fail are dropped; defaults (`*`) choose among the survivors.
extension Evaluator {
    func resolveDisjunctions(_ vertex: Vertex, _ disjunction: Disjunction) {
        let hasDefaults = disjunction.defaults.contains(true)
        let (combinations, overflow) = vertex.combinations.multipliedReportingOverflow(by: disjunction.defaults.count)
        guard !overflow, combinations <= limits.maxDisjunctions else {
            setError(vertex, limitError("more than \(limits.maxDisjunctions) combinations of disjunctions", at: disjunction.position))
            return
        }
        var survivors: [(vertex: Vertex, isDefault: Bool)] = []
        var errors: [CUEError] = []
        for (index, branchIsMarked) in disjunction.defaults.enumerated() {
            guard tick(disjunction.position), !isAborted else {
                setError(vertex, aborted ?? CUEError(.limit, "aborted"))
                return
            }
            let attempt = Vertex(parent: vertex.parent, label: vertex.label, arena: arena)
            attempt.conjuncts = vertex.conjuncts
            attempt.presence = vertex.presence
            attempt.declarations = vertex.declarations
            attempt.forcedChoices = vertex.forcedChoices + [index]
            attempt.combinations = combinations
            evaluate(attempt)
            var budget = limits.maxDisjunctions * 8
            if let error = firstError(attempt, budget: &budget) {
                if error.kind == .limit {
                    setError(vertex, error)
                    return
                }
                errors.append(error)
                continue
            }
            let branchIsDefault = branchIsMarked || !hasDefaults
            if attempt.disjuncts.isEmpty {
                survivors.append((attempt, branchIsDefault))
            } else {
                for inner in attempt.disjuncts { survivors.append((inner.vertex, branchIsDefault && inner.isDefault)) }
            }
            if survivors.count > limits.maxDisjunctions {
                setError(vertex, limitError("more than \(limits.maxDisjunctions) disjuncts", at: disjunction.position))
                return
            }
        }
        survivors = deduplicated(survivors)
        switch survivors.count {
        case 0:
            if errors.count == 1 {
                setError(vertex, errors[0])
            } else {
                let messages = errors.map(\.message).joined(separator: "; ")
                setError(vertex, CUEError(.eval, "\(errors.count) errors in empty disjunction: \(messages)", at: disjunction.position))
            }
        case 1:
            vertex.adopt(survivors[0].vertex)
        default:
            vertex.disjuncts = survivors
        }
    }

    /// Identical basic values count once; one is a default if either was.
    private func deduplicated(_ survivors: [(vertex: Vertex, isDefault: Bool)]) -> [(vertex: Vertex, isDefault: Bool)] {
        var result: [(vertex: Vertex, isDefault: Bool)] = []
        for survivor in survivors {
            if case .scalar(let scalar) = survivor.vertex.value, !survivor.vertex.isStruct, !survivor.vertex.isList,
               let index = result.firstIndex(where: {
                   if case .scalar(let other) = $0.vertex.value, !$0.vertex.isStruct, !$0.vertex.isList { return other == scalar }
                   return false
               })
            {
                result[index].isDefault = result[index].isDefault || survivor.isDefault
                continue
            }
            result.append(survivor)
        }
        return result
    }

    /// The first error that rules a disjunct out: any error but an incomplete one, in the
    /// vertex or its present fields (evaluated for this), within a budget of vertices.
    func firstError(_ vertex: Vertex, budget: inout Int) -> CUEError? {
        budget -= 1
        guard budget > 0 else { return nil }
        // Each vertex visited is a step and a level of the one depth bound, as this recursion
        // runs inside evaluations that may themselves be checking disjuncts.
        guard tick(vertex.conjuncts.first?.position ?? .none) else { return aborted }
        depth += 1
        defer { depth -= 1 }
        guard depth <= limits.maxDepth else { return nil }
        evaluate(vertex)
        if let error = vertex.error, error.kind != .incomplete { return error }
        guard vertex.disjuncts.isEmpty else { return nil }
        for arc in vertex.arcs where arc.label.isRegular && arc.isPresent {
            if let error = firstError(arc, budget: &budget) { return error }
        }
        return nil
    }
}
