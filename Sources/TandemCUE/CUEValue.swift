import TandemJSON

/// A value in an evaluated CUE tree. Evaluation happens on demand, as values are looked up
/// and exported.
public struct CUEValue {
    let vertex: Vertex
    let context: CUEContext

    var evaluator: Evaluator { context.evaluator }

    /// The value at `path` (field names; list indexes as decimal strings), `nil` if there is no
    /// such field or it is only optional and not set.
    public func lookup(_ path: [String]) -> CUEValue? {
        var current = vertex
        for name in path {
            evaluator.evaluate(current)
            guard let resolved = evaluator.resolvedDisjunct(current) else { return nil }
            let label: Label = resolved.isList ? Int(name).map { .index($0) } ?? Label(name: name) : Label(name: name)
            guard let arc = resolved.arc(label), arc.isPresent else { return nil }
            current = arc
        }
        return CUEValue(vertex: current, context: context)
    }

    /// Whether the path leads to a present field that is not an error.
    public func exists(_ path: [String]) -> Bool {
        guard let value = lookup(path) else { return false }
        return value.error == nil
    }

    /// The error that makes this value bottom, if any (not counting errors in its fields).
    public var error: CUEError? {
        evaluator.evaluate(vertex)
        if let aborted = evaluator.aborted { return aborted }
        return evaluator.resolvedDisjunct(vertex)?.error
    }

    /// The value as JSON; throws for an error or a field that is not concrete, with its path
    /// and position.
    public func export() throws(CUEError) -> JSONValue {
        try evaluator.export(vertex)
    }

    /// The value as JSON, or every error exporting it meets (up to `limit`), in one walk.
    public func exportCollectingErrors(limit: Int = 100) -> CUEExportOutcome {
        evaluator.exportCollectingErrors(vertex, limit: limit)
    }

    /// Whether the value's fields, all the way down, are regular ones: no definition or hidden
    /// field, which export leaves out, so that its JSON says all it holds.
    public var holdsOnlyRegularFields: Bool { Self.holdsOnlyRegularFields(vertex, evaluator) }

    private static func holdsOnlyRegularFields(_ vertex: Vertex, _ evaluator: Evaluator) -> Bool {
        evaluator.evaluate(vertex)
        guard let resolved = evaluator.resolvedDisjunct(vertex) else { return false }
        return resolved.arcs.allSatisfy { arc in
            // An absent optional field is not looked into: export did not evaluate it either.
            !arc.isDeclared || (arc.label.isRegular && (!arc.isPresent || holdsOnlyRegularFields(arc, evaluator)))
        }
    }

    /// Every error exporting this value meets (up to `limit`), conflicts before incomplete
    /// values; empty when it exports.
    public func errors(limit: Int = 100) -> [CUEError] {
        switch evaluator.exportCollectingErrors(vertex, limit: limit, building: false) {
        case .value: return []
        case .errors(let errors): return errors
        }
    }

    /// The field path from the root.
    public var path: [String] { vertex.path }

    /// The value as CUE would write a type: `int`, `string`, `*1 | int`, `{...}`, `[...]`.
    public var typeDescription: String {
        evaluator.evaluate(vertex)
        if !vertex.disjuncts.isEmpty {
            return vertex.disjuncts.map { ($0.isDefault ? "*" : "") + evaluator.describe($0.vertex) }.joined(separator: " | ")
        }
        return evaluator.describe(vertex)
    }

    /// The default of a disjunction, or the value itself, as JSON if it is concrete.
    public var defaultValue: JSONValue? {
        evaluator.exportIfConcrete(vertex)
    }

    /// The fields of a struct value in order, with how they are declared and their doc comments
    /// (for documentation and for a JSON Schema of `parameter`). Definitions and hidden fields
    /// are included, marked as such; lets are not fields.
    public var fields: [CUEFieldInfo] {
        evaluator.evaluate(vertex)
        guard let resolved = evaluator.resolvedDisjunct(vertex), resolved.isStruct else { return [] }
        // Room for every arc up front: growing the array field by field cost more than filling it.
        var fields: [CUEFieldInfo] = []
        fields.reserveCapacity(resolved.arcs.count)
        for arc in resolved.arcs where arc.isDeclared {
            let kind: CUEFieldInfo.Kind
            switch arc.label {
            case .field: kind = .regular
            case .definition: kind = .definition
            case .hidden: kind = .hidden
            default: continue
            }
            let presence: CUEField.Constraint = arc.presence == .regular ? .regular : (arc.presence == .required ? .required : .optional)
            let doc = arc.declarations.first { !$0.docComments.isEmpty }?.docComments ?? []
            let attributes = arc.declarations.flatMap(\.attributes)
            fields.append(CUEFieldInfo(name: arc.label.description, kind: kind, constraint: presence, docComments: doc,
                                       attributes: attributes, position: arc.declarations.first?.position ?? .none,
                                       value: CUEValue(vertex: arc, context: context)))
        }
        return fields
    }

    /// The elements of a list value.
    public var elements: [CUEValue] {
        evaluator.evaluate(vertex)
        guard let resolved = evaluator.resolvedDisjunct(vertex), resolved.isList else { return [] }
        return resolved.elements.map { CUEValue(vertex: $0, context: context) }
    }

    /// The alternatives of a disjunction that several values satisfy (`*"a" | "b"` unresolved),
    /// each with whether it is a default; empty when the value is not such a disjunction.
    public var disjuncts: [(value: CUEValue, isDefault: Bool)] {
        evaluator.evaluate(vertex)
        return vertex.disjuncts.map { (CUEValue(vertex: $0.vertex, context: context), $0.isDefault) }
    }

    /// What every further element of an open list must be (`T` in `[...T]`), if anything.
    public var listElementConstraint: CUEValue? {
        evaluator.evaluate(vertex)
        guard let resolved = evaluator.resolvedDisjunct(vertex), resolved.isList, !resolved.listTails.isEmpty else { return nil }
        let index = resolved.elements.count
        return probe(resolved, label: .index(index), resolved.listTails.filter { index >= $0.from }.map(\.conjunct))
    }

    /// What the value of a field not declared in the struct must be, from patterns such as
    /// `[string]: T` that match any label, if any.
    public var patternConstraint: CUEValue? {
        evaluator.evaluate(vertex)
        guard let resolved = evaluator.resolvedDisjunct(vertex), resolved.isStruct else { return nil }
        let general = resolved.patterns.filter {
            switch $0.label {
            case .top, .constraint(_, []): return true
            default: return false
            }
        }
        guard !general.isEmpty else { return nil }
        return probe(resolved, label: .field(""), general.map(\.conjunct))
    }

    /// A value evaluated from constraints alone, as a field of `parent` would be (not added to it).
    private func probe(_ parent: Vertex, label: Label, _ conjuncts: [Conjunct]) -> CUEValue {
        let vertex = Vertex(parent: parent, label: label, arena: evaluator.arena)
        vertex.presence = .regular
        vertex.conjuncts = conjuncts
        return CUEValue(vertex: vertex, context: context)
    }

    public var isStruct: Bool { evaluator.resolvedDisjunct(vertex)?.isStruct ?? false }
    public var isList: Bool { evaluator.resolvedDisjunct(vertex)?.isList ?? false }
}

/// A field of a struct value, as `CUEValue.fields` lists it.
public struct CUEFieldInfo {
    public enum Kind: Sendable { case regular, definition, hidden }

    public var name: String
    public var kind: Kind
    /// Regular, optional (`?:`, or only from a pattern) or required (`!:`).
    public var constraint: CUEField.Constraint
    /// The comment lines above the field's first documented declaration.
    public var docComments: [String]
    public var attributes: [String]
    public var position: CUEPosition
    public var value: CUEValue
}
