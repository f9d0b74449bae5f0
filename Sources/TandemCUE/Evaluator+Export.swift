import TandemJSON

/// Turning an evaluated vertex into JSON: every regular field must be concrete. Export goes on
/// past an error to find the others, so that all of them can be reported at once.
extension Evaluator {
    /// The JSON value, or every error found (conflicts before incomplete values).
    /// Without `building`, the walk only looks for errors: a value it finds is `null`.
    func exportCollectingErrors(_ vertex: Vertex, limit: Int = 100, building: Bool = true) -> CUEExportOutcome {
        var remaining = limits.maxSteps
        var errors: [CUEError] = []
        let value = export(vertex, budget: &remaining, errors: &errors, limit: limit, building: building)
        if let aborted, !errors.contains(aborted) { errors.insert(aborted, at: 0) }
        guard let value, errors.isEmpty else {
            let serious = errors.filter { $0.kind != .incomplete }
            return .errors(serious + errors.filter { $0.kind == .incomplete })
        }
        return .value(value)
    }

    func export(_ vertex: Vertex) throws(CUEError) -> JSONValue {
        switch exportCollectingErrors(vertex, limit: 20) {
        case .value(let value): return value
        case .errors(let errors): throw errors.first ?? CUEError(.eval, "export failed")
        }
    }

    /// The JSON value if the vertex exports, without building any error (a caller that only
    /// asks whether a value is concrete).
    func exportIfConcrete(_ vertex: Vertex) -> JSONValue? {
        var remaining = limits.maxSteps
        var errors: [CUEError] = []
        return export(vertex, budget: &remaining, errors: &errors, limit: 0, building: true)
    }

    /// With `limit` 0 no error is built (their messages are the costly part) and the walk
    /// stops at the first.
    private func export(_ vertex: Vertex, budget: inout Int, errors: inout [CUEError], limit: Int, building: Bool) -> JSONValue? {
        func fail(_ error: @autoclosure () -> CUEError) -> JSONValue? {
            guard limit > 0 else { return nil }
            var located = error()
            if located.path.isEmpty { located.path = vertex.path }
            if errors.count < limit, !errors.contains(located) { errors.append(located) }
            return nil
        }
        budget -= 1
        func position() -> CUEPosition { vertex.conjuncts.first?.position ?? .none }  // for errors only
        if budget < 0 { return fail(limitError("export exceeds the step limit", at: position())) }
        // Export may run inside an evaluation (`==` on structs, `json.Marshal`): it shares the
        // evaluation's step count and depth bound.
        guard tick(position()) else { return fail(aborted ?? limitError("evaluation aborted", at: position())) }
        depth += 1
        defer { depth -= 1 }
        if depth > limits.maxDepth { return fail(limitError("value nested deeper than \(limits.maxDepth) levels", at: position())) }
        evaluate(vertex)
        if isAborted, let aborted { return fail(aborted) }
        guard let resolved = resolvedDisjunct(vertex) else {
            let shown = vertex.disjuncts.map { describe($0.vertex) }.joined(separator: " | ")
            return fail(CUEError(.incomplete, "incomplete value \(shown)", path: vertex.path, at: position()))
        }
        if let error = resolved.error { return fail(error) }
        var failed = false
        for error in resolved.incomplete {
            _ = fail(error)
            failed = true
        }
        if failed, limit == 0 { return nil }
        if resolved.isList {
            var items: [JSONValue] = []
            for element in resolved.elements {
                if let item = export(element, budget: &budget, errors: &errors, limit: limit, building: building) {
                    if building { items.append(item) }
                } else {
                    failed = true
                }
                if failed, errors.count >= limit { break }
            }
            return failed ? nil : building ? .array(items) : .null
        }
        if resolved.isStruct {
            // A vertex's arcs have distinct labels: each field is appended, not looked up first.
            var object = JSONObject(reservingCapacity: building ? resolved.arcs.count : 0)
            for arc in resolved.arcs {
                guard case .field(let name) = arc.label else { continue }
                if arc.presence == .required {
                    _ = fail(CUEError(.incomplete, "field is required but not present", path: arc.path,
                                      at: arc.declarations.first?.position ?? position()))
                    failed = true
                    if limit == 0 { break }
                    continue
                }
                guard arc.isPresent else { continue }
                if let value = export(arc, budget: &budget, errors: &errors, limit: limit, building: building) {
                    if building { object.append(name, value) }
                } else {
                    failed = true
                }
                if failed, errors.count >= limit { break }
            }
            return failed ? nil : building ? .object(object) : .null
        }
        if failed { return nil }
        switch resolved.value {
        case .scalar(let scalar): return building ? scalar.json : .null
        default:
            return fail(CUEError(.incomplete, "incomplete value \(resolved.value.description)", path: vertex.path,
                                 at: position().line > 0 ? position() : resolved.valuePosition))
        }
    }
}
