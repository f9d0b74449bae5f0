import TandemJSON

/// Turning an evaluated vertex into JSON: every regular field must be concrete.
extension Evaluator {
    func export(_ vertex: Vertex) throws(CUEError) -> JSONValue {
        var remaining = limits.maxSteps
        return try export(vertex, budget: &remaining, depth: 0)
    }

    private func export(_ vertex: Vertex, budget: inout Int, depth: Int) throws(CUEError) -> JSONValue {
        budget -= 1
        if budget < 0 { throw limitError("export exceeds the step limit", at: vertex.conjuncts.first?.position ?? .none) }
        if depth > limits.maxDepth {
            throw limitError("value nested deeper than \(limits.maxDepth) levels", at: vertex.conjuncts.first?.position ?? .none)
        }
        evaluate(vertex)
        if let aborted { throw aborted }
        let position = vertex.conjuncts.first?.position ?? .none
        guard let resolved = resolvedDisjunct(vertex) else {
            let shown = vertex.disjuncts.map { describe($0.vertex) }.joined(separator: " | ")
            throw CUEError(.incomplete, "incomplete value \(shown)", path: vertex.path, at: position)
        }
        if let error = resolved.error { throw error }
        if let error = resolved.incomplete.first {
            var located = error
            if located.path.isEmpty { located.path = vertex.path }
            throw located
        }
        if resolved.isList {
            var items: [JSONValue] = []
            for element in resolved.elements { items.append(try export(element, budget: &budget, depth: depth + 1)) }
            return .array(items)
        }
        if resolved.isStruct {
            var object = JSONObject()
            for arc in resolved.arcs {
                guard case .field(let name) = arc.label else { continue }
                if arc.presence == .required {
                    throw CUEError(.incomplete, "field is required but not present", path: arc.path,
                                   at: arc.conjuncts.first?.position ?? position)
                }
                guard arc.isPresent else { continue }
                object[name] = try export(arc, budget: &budget, depth: depth + 1)
            }
            return .object(object)
        }
        switch resolved.value {
        case .scalar(let scalar): return scalar.json
        default:
            throw CUEError(.incomplete, "incomplete value \(resolved.value.description)", path: vertex.path, at: position)
        }
    }
}
