/// Structure sharing: a field whose only conjunct is a reference to a settled value (`env:
/// parameter.env` once `parameter` is evaluated) takes that value's evaluated arcs instead of
/// evaluating the same conjuncts again. With nothing else unified in, evaluating them again
/// would build the same tree; only its vertices' places would differ, and a settled value has
/// no error to report at a place.
extension Evaluator {
    /// Vertices a settledness check visits at most before it gives up (and the reference is
    /// evaluated as usual).
    static let settledCheckBudget = 4_096

    /// Whether `vertex`, the one conjunct of which is `reference` to `target`, can share it.
    func canShare(_ target: Vertex, into vertex: Vertex, _ conjunct: Conjunct) -> Bool {
        guard conjunct.group == nil, vertex.forcedChoices.isEmpty, vertex.conjuncts.count == 1,
              vertex.arcs.isEmpty, !vertex.isStruct, !vertex.isList, vertex.patterns.isEmpty, vertex.error == nil,
              target !== vertex, !Self.isDefinition(target), !vertex.hasAncestor(target)
        else { return false }
        if case .top = vertex.value {} else { return false }
        // The target's place must be final too: a parent still evaluating may yet mark one of
        // its fields as not allowed.
        var ancestor = target.parent
        while let node = ancestor {
            guard node.status == .done else { return false }
            ancestor = node.parent
        }
        var budget = Self.settledCheckBudget
        return isSettled(target, budget: &budget)
    }

    /// Evaluated, with no error anywhere among its present fields and disjuncts; remembered
    /// once true (a settled vertex stays settled).
    func isSettled(_ vertex: Vertex, budget: inout Int) -> Bool {
        if vertex.isSettled { return true }
        budget -= 1
        // Injected data refers to nothing, so evaluating it here cannot meet a cycle; a field
        // of `parameter` need not have been walked before to be shared.
        if vertex.status == .new, vertex.conjuncts.count == 1, case .json = vertex.conjuncts[0].source { evaluate(vertex) }
        guard budget > 0, vertex.status == .done, vertex.error == nil, vertex.incomplete.isEmpty else { return false }
        for disjunct in vertex.disjuncts where !isSettled(disjunct.vertex, budget: &budget) { return false }
        for arc in vertex.arcs where arc.isPresent && !isSettled(arc, budget: &budget) { return false }
        vertex.isSettled = true
        return true
    }
}
