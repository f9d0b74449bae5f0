/// Resolving identifiers, selectors and indexes to the vertex (or value) they denote.
extension Evaluator {
    enum Reference {
        case vertex(Vertex)
        case value(Value)
    }

    static func predeclaredType(_ name: String) -> Value? {
        switch name {
        case "int": return .constraint(.int, [])
        case "float": return .constraint(.float, [])
        case "number": return .constraint(.number, [])
        case "string": return .constraint(.string, [])
        case "bytes": return .constraint(.bytes, [])
        case "bool": return .constraint(.bool, [])
        default: return nil
        }
    }

    static let predeclaredFunctions: Set<String> = ["len", "close", "and", "or", "div", "mod", "quo", "rem"]

    func resolve(_ expression: CUEExpr, _ environment: Environment?) -> Reference {
        depth += 1
        defer { depth -= 1 }
        if depth > limits.maxDepth {
            return .value(.bottom(limitError("evaluation nested deeper than \(limits.maxDepth) levels", at: expression.position)))
        }
        switch expression.kind {
        case .identifier(let name):
            return lookup(name, environment, at: expression.position)
        case .selector(let base, let name):
            let label = Label(name: name)
            switch resolve(base, environment) {
            case .vertex(let vertex):
                return select(vertex, label, at: expression.position)
            case .value(.composite(let vertex)):
                return select(vertex, label, at: expression.position)
            case .value(.package(let path)):
                return .value(.builtin(path + "." + name))
            case .value(.bottom(let error)):
                return .value(.bottom(error))
            case .value(let other):
                let kind: CUEError.Kind = other.isConcreteScalar ? .eval : .incomplete
                return .value(.bottom(CUEError(kind, "invalid selector \(name) for value \(other.description)", at: expression.position)))
            }
        case .index(let base, let indexExpression):
            let index = evaluateExpression(indexExpression, environment)
            if case .bottom = index { return .value(index) }
            let baseReference = resolve(base, environment)
            let target: Vertex
            switch baseReference {
            case .vertex(let vertex): target = vertex
            case .value(.composite(let vertex)): target = vertex
            case .value(.bottom(let error)): return .value(.bottom(error))
            case .value(let other):
                return .value(.bottom(CUEError(other.isConcreteScalar ? .eval : .incomplete,
                                               "invalid operand \(other.description) (found \(other.kinds.name), want list or struct)",
                                               at: expression.position)))
            }
            switch index {
            case .scalar(.int(let position)): return select(target, .index(position), at: expression.position)
            case .scalar(.string(let name)): return select(target, Label(name: name), at: expression.position)
            case .scalar:
                return .value(.bottom(CUEError(.eval, "invalid index \(index.description)", at: expression.position)))
            default:
                return .value(.bottom(CUEError(.incomplete, "non-concrete index \(index.description)", at: expression.position)))
            }
        default:
            return .value(evaluateExpression(expression, environment))
        }
    }

    /// The vertex an identifier names: a comprehension or let binding, a field declared by an
    /// enclosing struct literal, a top-level field, an import, or a predeclared name.
    func lookup(_ name: String, _ environment: Environment?, at position: CUEPosition) -> Reference {
        var current = environment
        while let scope = current {
            if !scope.bindings.isEmpty, let binding = scope.bindings[name] {
                switch binding {
                case .value(let value): return .value(value)
                case .vertex(let vertex): return .vertex(vertex)
                case .lazy(let expression, let bindingEnvironment):
                    return .vertex(letVertex(name, expression, bindingEnvironment, cache: scope))
                case .package(let path): return .value(.package(path))
                }
            }
            if let structure = scope.structure, structure.declares(name) {
                if !structure.letNames.isEmpty, let expression = structure.letNames[name] {
                    return .vertex(letVertex(name, expression, scope, cache: scope))
                }
                var label = Label(name: name)
                switch structure.aliases.isEmpty ? nil : structure.aliases[name] {
                case .identifier(let aliased)?: label = Label(name: aliased)
                case .string(let aliased)?: label = .field(aliased)
                case .dynamic?:
                    return .value(.bottom(CUEError(.eval, "alias \(name) of a dynamic label cannot be referenced", at: position)))
                case nil: break
                }
                if let vertex = scope.vertex {
                    if let arc = vertex.arc(label) { return .vertex(arc) }
                    if vertex.status == .new { evaluate(vertex) }
                    if let arc = vertex.arc(label) { return .vertex(arc) }
                }
                noteUnresolvedIdentifier()
                return .value(.bottom(CUEError(.incomplete, "reference \"\(name)\" not found", at: position)))
            }
            if scope.structure == nil, scope.bindings.isEmpty, let vertex = scope.vertex {
                // The package scope: every file's top-level fields.
                if let arc = vertex.arc(Label(name: name)) { return .vertex(arc) }
            }
            current = scope.parent
        }
        if let type = Self.predeclaredType(name) { return .value(type) }
        if Self.predeclaredFunctions.contains(name) { return .value(.builtin(name)) }
        noteUnresolvedIdentifier()
        return .value(.bottom(CUEError(.eval, "reference \"\(name)\" not found", at: position)))
    }

    private func letVertex(_ name: String, _ expression: CUEExpr, _ environment: Environment, cache: Environment) -> Vertex {
        if let vertex = cache.letVertices[name] { return vertex }
        let vertex = Vertex(parent: nil, label: .detached, arena: arena)
        vertex.presence = .regular
        vertex.conjuncts = [Conjunct(source: .expression(expression), environment: environment, group: nil, position: expression.position)]
        cache.letVertices[name] = vertex
        return vertex
    }

    /// The arc `label` of `vertex`, which is evaluated first. A field that is missing, or only
    /// optional, is an incomplete error: existence tests see it as bottom.
    func select(_ vertex: Vertex, _ label: Label, at position: CUEPosition) -> Reference {
        evaluate(vertex)
        guard let resolved = resolvedDisjunct(vertex) else {
            return .value(.bottom(CUEError(.incomplete, "unresolved disjunction", path: vertex.path, at: position)))
        }
        if let error = resolved.error { return .value(.bottom(error)) }
        if !resolved.isStruct && !resolved.isList {
            let kind: CUEError.Kind = resolved.value.isConcreteScalar ? .eval : .incomplete
            return .value(.bottom(CUEError(kind, "invalid selector \(label) for value \(resolved.value.description)",
                                           path: vertex.path, at: position)))
        }
        guard let arc = resolved.arc(label), arc.isDeclared else {
            if case .index(let index) = label, resolved.isList {
                return .value(.bottom(CUEError(.incomplete, "index out of range [\(index)] with length \(resolved.elements.count)",
                                               path: vertex.path, at: position)))
            }
            return .value(.bottom(CUEError(.incomplete, "undefined field: \(label)", path: vertex.path, at: position)))
        }
        guard arc.isPresent else {
            return .value(.bottom(CUEError(.incomplete, "cannot reference optional field: \(label)", path: vertex.path, at: position)))
        }
        return .vertex(arc)
    }

    /// The vertex's value for use: its default if several disjuncts survived, `nil` when there
    /// is no single default.
    func resolvedDisjunct(_ vertex: Vertex) -> Vertex? {
        evaluate(vertex)
        guard !vertex.disjuncts.isEmpty else { return vertex }
        // As CUE finalises a disjunction, a disjunct that cannot be completed (it reads a field
        // that is not there) gives way to those that can: KubeVela's storage trait writes
        // `*[for v in parameter.pvc {...}] | []` and means `[]` when `pvc` is not given.
        var candidates = vertex.disjuncts
        let complete = candidates.filter { $0.vertex.error?.kind != .incomplete && $0.vertex.incomplete.isEmpty }
        if !complete.isEmpty, complete.count < candidates.count {
            candidates = complete
            if candidates.count == 1 { return candidates[0].vertex }
        }
        let defaults = candidates.filter(\.isDefault)
        if defaults.count == 1 { return defaults[0].vertex }
        return nil
    }

    /// The value of a vertex for an expression: basic value, or the vertex as a composite.
    func value(of vertex: Vertex, at position: CUEPosition) -> Value {
        evaluate(vertex)
        guard let resolved = resolvedDisjunct(vertex) else {
            let shown = vertex.disjuncts.map { describe($0.vertex) }.joined(separator: " | ")
            return .bottom(CUEError(.incomplete, "incomplete value \(shown)", path: vertex.path, at: position))
        }
        if let error = resolved.error { return .bottom(error) }
        if resolved.isStruct || resolved.isList { return .composite(resolved) }
        return resolved.value
    }

    func describe(_ vertex: Vertex) -> String {
        if vertex.isList { return "[...]" }
        if vertex.isStruct { return "{...}" }
        return vertex.value.description
    }
}
