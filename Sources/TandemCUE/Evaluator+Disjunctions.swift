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

    /// A disjunction of basic values (`*10 | int`, `"a" | "b"`) in a vertex that holds only a
    /// basic value: each branch is met with that value directly, as trying it in a copy of the
    /// vertex would, without the copy. False (nothing changed) when the disjunction or the
    /// vertex is not that simple, or no branch survives (the copies word the errors).
    func resolveBasicDisjunction(_ vertex: Vertex, _ disjunction: Disjunction) -> Bool {
        guard !disjunction.branches.isEmpty, vertex.forcedChoices.isEmpty, vertex.arcs.isEmpty, !vertex.isStruct,
              !vertex.isList, !vertex.impliedStruct, vertex.patterns.isEmpty, vertex.listTails.isEmpty,
              vertex.validators.isEmpty, vertex.incomplete.isEmpty, vertex.disjuncts.isEmpty,
              disjunction.defaults.count <= limits.maxDisjunctions
        else { return false }
        let current = vertex.value
        switch current {
        case .top, .scalar, .constraint: break
        default: return false
        }
        var survivors: [(value: Value, position: CUEPosition, isDefault: Bool)] = []
        let hasDefaults = disjunction.defaults.contains(true)
        for branch in disjunction.branches {
            guard let value = basicValue(branch.expression, disjunction.environment) else { return false }
            let met = unify(current, value, at: branch.expression.position)
            switch met {
            case .bottom: continue
            case .scalar: break
            // Bounds keep the order they are met in: only a lone branch is certain to be met alike.
            case .constraint, .top: guard case .top = current else { return false }
            default: return false
            }
            // Where the value is written: the last basic value from source text met, in order.
            guard branch.expression.position.line > 0 else { return false }
            let position = vertex.sourceMeets > disjunction.sourceMeetsBefore ? vertex.valuePosition : branch.expression.position
            let isDefault = branch.isDefault || !hasDefaults
            if case .scalar(let scalar) = met, let index = survivors.firstIndex(where: {
                if case .scalar(let other) = $0.value { other == scalar } else { false }
            }) {
                survivors[index].isDefault = survivors[index].isDefault || isDefault
                continue
            }
            survivors.append((met, position, isDefault))
        }
        guard let first = survivors.first else { return false }
        if survivors.count == 1 {
            vertex.value = first.value
            vertex.valuePosition = first.position
            return true
        }
        vertex.disjuncts = survivors.map { survivor in
            let disjunct = Vertex(parent: vertex.parent, label: vertex.label, arena: arena)
            disjunct.conjuncts = vertex.conjuncts
            disjunct.presence = vertex.presence
            disjunct.declarations = vertex.declarations
            disjunct.value = survivor.value
            disjunct.valuePosition = survivor.position
            disjunct.status = .done
            return (disjunct, survivor.isDefault)
        }
        return true
    }

    /// The value of a literal, a bound or a predeclared type, counted as a step; nil for any
    /// other expression.
    private func basicValue(_ expression: CUEExpr, _ environment: Environment?) -> Value? {
        switch expression.kind {
        case .null, .bool, .int, .float, .string:
            break
        case .unary(_, let operand):
            switch operand.kind {
            case .null, .bool, .int, .float, .string: break
            default: return nil
            }
        case .identifier(let name):
            guard Self.predeclaredType(name) != nil, case .value(let value) = lookup(name, environment, at: expression.position)
            else { return nil }
            return tick(expression.position) ? value : nil
        default:
            return nil
        }
        let value = evaluateExpression(expression, environment)
        switch value {
        case .scalar, .constraint: return value
        default: return nil
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
