import TandemJSON

/// Evaluates vertices: expands their conjuncts (struct and list literals, references,
/// embeddings, comprehensions), unifies basic values, resolves disjunctions and checks
/// closedness. Evaluation is lazy: a vertex is evaluated when something needs its value.
final class Evaluator {
    let limits: CUELimits
    let regexCache = CUERegexCache()
    private(set) var steps = 0
    var depth = 0
    /// Set when a limit is exceeded: every evaluation after that ends in this error.
    private(set) var aborted: CUEError? {
        didSet { isAborted = aborted != nil }
    }
    /// Whether `aborted` is set: checked at every step, where copying the error would cost
    /// more than the step.
    private(set) var isAborted = false

    let arena = VertexArena()

    /// Identifiers that resolved to nothing: an evaluation that met one may read differently
    /// once the missing value is given.
    private(set) var unresolvedIdentifiers = 0

    /// The root whose files' own declarations of some top-level fields are left out, and
    /// those fields' names: their values are given whole instead (see `CUEContext.evaluate`).
    var replacedRoot: ObjectIdentifier?
    var replacedFields: Set<String> = []

    func noteUnresolvedIdentifier() { unresolvedIdentifiers += 1 }

    init(limits: CUELimits) {
        self.limits = limits
    }

    deinit {
        arena.tearDown()
    }

    /// Counts one step of work; false (and the evaluation aborted) past `maxSteps`.
    func tick(_ position: @autoclosure () -> CUEPosition) -> Bool {
        if isAborted { return false }
        steps += 1
        if steps > limits.maxSteps {
            aborted = CUEError(.limit, "evaluation exceeds the limit of \(limits.maxSteps) steps", at: position())
            return false
        }
        return true
    }

    func limitError(_ message: String, at position: CUEPosition) -> CUEError {
        let error = CUEError(.limit, message, at: position)
        if aborted == nil { aborted = error }
        return error
    }

    // MARK: Vertices

    /// The state of one vertex's evaluation.
    private struct Expansion {
        var queue: [Conjunct]
        /// The vertices whose conjuncts were added (a handful: searched, not hashed).
        var expanded: [ObjectIdentifier]
        var comprehensions: [(CUEComprehension, Environment, CloseGroup?)] = []
        var disjunctions: [Disjunction] = []
        var disjunctionCount = 0
        /// The conjunct being processed: conjuncts it expands to go right after it, so that
        /// fields and messages follow the order of the source.
        var cursor = 0
        var inserted = 0

        mutating func expand(_ conjunct: Conjunct) {
            queue.insert(conjunct, at: cursor + 1 + inserted)
            inserted += 1
        }
    }

    /// A disjunction met while expanding a vertex: each branch is tried in a copy of the vertex
    /// that meets the same conjuncts and takes that branch (by index) when it gets here.
    struct Disjunction {
        /// For each branch, whether it is marked default (`*`).
        var defaults: [Bool]
        var position: CUEPosition
        /// For `a | b` (not `or(list)`): the branches, where they are evaluated, and how many
        /// basic values from source text the vertex had met when the disjunction was met.
        var branches: [(expression: CUEExpr, isDefault: Bool)] = []
        var environment: Environment?
        var sourceMeetsBefore = 0
    }

    func evaluate(_ vertex: Vertex) {
        guard vertex.status == .new else { return }
        func position() -> CUEPosition { vertex.conjuncts.first?.position ?? .none }  // for errors only
        if isAborted, let aborted {
            vertex.error = aborted
            vertex.status = .done
            return
        }
        depth += 1
        defer { depth -= 1 }
        guard depth <= limits.maxDepth else {
            setError(vertex, limitError("evaluation nested deeper than \(limits.maxDepth) levels", at: position()))
            vertex.status = .done
            return
        }
        guard tick(position()) else {
            setError(vertex, aborted ?? CUEError(.limit, "aborted"))
            vertex.status = .done
            return
        }
        vertex.status = .evaluating
        if vertex.conjuncts.count == 1, case .json(let json) = vertex.conjuncts[0].source {
            // Injected data (`parameter`, `context`): nothing to expand, no disjunction to resolve.
            addJSON(json, into: vertex, vertex.conjuncts[0])
            checkShape(vertex)
            vertex.status = .done
            return
        }
        // The vertex itself need not be listed: `copy` never copies a vertex into itself.
        var expansion = Expansion(queue: vertex.conjuncts, expanded: [])
        var index = 0
        while true {
            while index < expansion.queue.count {
                expansion.cursor = index
                expansion.inserted = 0
                process(expansion.queue[index], into: vertex, &expansion)
                index += 1
            }
            guard !expansion.comprehensions.isEmpty else { break }
            let pending = expansion.comprehensions
            expansion.comprehensions = []
            for (comprehension, environment, group) in pending {
                runComprehension(comprehension, environment, into: vertex) { bodyEnvironment in
                    expansion.queue.append(Conjunct(source: .structure(comprehension.body), environment: bodyEnvironment,
                                                    group: group, position: comprehension.position))
                }
            }
        }
        if vertex.error == nil, let disjunction = expansion.disjunctions.first,
           expansion.disjunctions.count > 1 || !resolveBasicDisjunction(vertex, disjunction) {
            resolveDisjunctions(vertex, disjunction)
        }
        if vertex.disjuncts.isEmpty { checkShape(vertex) }
        vertex.status = .done
    }

    private func process(_ conjunct: Conjunct, into vertex: Vertex, _ expansion: inout Expansion) {
        guard tick(conjunct.position) else {
            setError(vertex, aborted ?? CUEError(.limit, "aborted"))
            return
        }
        switch conjunct.source {
        case .value(let value):
            meet(vertex, value, conjunct, &expansion)
        case .json(let json):
            addJSON(json, into: vertex, conjunct)
        case .elements(let sources):
            vertex.isList = true
            for (index, source) in sources.enumerated() {
                var created = false
                let arc = vertex.ensureArc(.index(index), created: &created)
                arc.presence = .regular
                arc.conjuncts.append(Conjunct(source: source, environment: nil, group: nil, position: conjunct.position))
                if created { applyPatterns(of: vertex, to: arc) }
            }
            vertex.closedListLengths.append(sources.count)
        case .structure(let structure):
            addStruct(structure, conjunct, into: vertex, &expansion)
        case .vertex(let other):
            copy(other, into: vertex, group: conjunct.group, definition: false, at: conjunct.position, &expansion)
        case .expression(let expression):
            addExpression(expression, conjunct, into: vertex, &expansion)
        }
    }

    private func addExpression(_ expression: CUEExpr, _ conjunct: Conjunct, into vertex: Vertex, _ expansion: inout Expansion) {
        let environment = conjunct.environment
        func add(_ expression: CUEExpr, group: CloseGroup? = conjunct.group) {
            expansion.expand(Conjunct(source: .expression(expression), environment: environment, group: group,
                                      position: expression.position))
        }
        switch expression.kind {
        case .parenthesized(let inner):
            add(inner)
        case .binary(.and, _, _):
            for term in Self.terms(of: expression) { add(term) }  // in source order
        case .binary(.or, _, _):
            let branches = Self.disjuncts(of: expression)
            let index = expansion.disjunctionCount
            expansion.disjunctionCount += 1
            if index < vertex.forcedChoices.count {
                let choice = vertex.forcedChoices[index]
                if choice < branches.count { add(branches[choice].expression) }
            } else {
                expansion.disjunctions.append(Disjunction(defaults: branches.map(\.isDefault), position: expression.position,
                                                          branches: branches, environment: environment,
                                                          sourceMeetsBefore: vertex.sourceMeets))
            }
        case .unary(.multiply, let inner):
            add(inner)
        case .structLiteral(let structure):
            addStruct(structure, conjunct, into: vertex, &expansion)
        case .listLiteral(let elements):
            addList(elements, conjunct, into: vertex, &expansion)
        case .identifier, .selector, .index:
            switch resolve(expression, environment) {
            case .vertex(let target) where expansion.queue.count == 1 && canShare(target, into: vertex, conjunct):
                vertex.share(target)
            case .vertex(let target):
                copy(target, into: vertex, group: conjunct.group, definition: Self.isDefinition(target),
                     at: expression.position, &expansion)
            case .value(let value):
                meet(vertex, value, conjunct, &expansion)
            }
        case .call(let function, let arguments) where Self.isBuiltin(function, "close", environment) && arguments.count == 1:
            add(arguments[0], group: conjunct.group ?? CloseGroup(closed: true))
        case .call(let function, let arguments) where Self.isBuiltin(function, "or", environment) && arguments.count == 1:
            // `or([a, b])` is `a | b`; an attempt re-evaluates the list and takes its branch.
            let list = evaluateExpression(arguments[0], environment)
            guard case .composite(let listVertex) = list, listVertex.isList else {
                meet(vertex, list.isBottom ? list : .bottom(CUEError(.eval, "or: argument must be a list", at: expression.position)),
                     conjunct, &expansion)
                return
            }
            let elements = listVertex.elements
            let index = expansion.disjunctionCount
            expansion.disjunctionCount += 1
            if index < vertex.forcedChoices.count {
                let choice = vertex.forcedChoices[index]
                if choice < elements.count {
                    expansion.expand(Conjunct(source: .vertex(elements[choice]), environment: nil, group: conjunct.group,
                                                    position: expression.position))
                }
            } else if elements.isEmpty {
                setError(vertex, CUEError(.eval, "empty list in call to or", at: expression.position))
            } else {
                expansion.disjunctions.append(Disjunction(defaults: elements.map { _ in false }, position: expression.position))
            }
        case .call(let function, let arguments) where Self.isBuiltin(function, "and", environment) && arguments.count == 1:
            let list = evaluateExpression(arguments[0], environment)
            guard case .composite(let listVertex) = list, listVertex.isList else {
                meet(vertex, list.isBottom ? list : .bottom(CUEError(.eval, "and: argument must be a list", at: expression.position)),
                     conjunct, &expansion)
                return
            }
            for element in listVertex.elements {
                expansion.expand(Conjunct(source: .vertex(element), environment: nil, group: conjunct.group,
                                                position: expression.position))
            }
        default:
            meet(vertex, evaluateExpression(expression, environment), conjunct, &expansion)
        }
    }

    /// The terms of `a & b & (c & d)`, in source order.
    static func terms(of expression: CUEExpr) -> [CUEExpr] {
        var result: [CUEExpr] = []
        var stack = [expression]
        while let term = stack.popLast() {
            switch term.kind {
            case .binary(.and, let left, let right):
                stack.append(right)
                stack.append(left)
            case .parenthesized(let inner):
                stack.append(inner)
            default:
                result.append(term)
            }
        }
        return result
    }

    /// The branches of `a | *b | c`, with their default marks.
    static func disjuncts(of expression: CUEExpr) -> [(expression: CUEExpr, isDefault: Bool)] {
        func branch(_ expression: CUEExpr) -> (expression: CUEExpr, isDefault: Bool) {
            if case .unary(.multiply, let inner) = expression.kind { return (inner, true) }
            return (expression, false)
        }
        // Most disjunctions have two branches (`*1 | int`): no walk for them.
        if case .binary(.or, let left, let right) = expression.kind {
            switch (left.kind, right.kind) {
            case (.binary(.or, _, _), _), (_, .binary(.or, _, _)): break
            default: return [branch(left), branch(right)]
            }
        }
        var result: [(expression: CUEExpr, isDefault: Bool)] = []
        var stack = [expression]  // a long `a | b | ...` is a deep tree: walk it without recursion
        while let branch = stack.popLast() {
            switch branch.kind {
            case .binary(.or, let left, let right):
                stack.append(right)
                stack.append(left)
            case .unary(.multiply, let inner):
                result.append((inner, true))
            default:
                result.append((branch, false))
            }
        }
        return result
    }

    static func isBuiltin(_ function: CUEExpr, _ name: String, _ environment: Environment?) -> Bool {
        guard case .identifier(let identifier) = function.kind, identifier == name else { return false }
        var current = environment
        while let scope = current {
            if (!scope.bindings.isEmpty && scope.bindings[name] != nil) || scope.structure?.declares(name) == true { return false }
            current = scope.parent
        }
        return true
    }

    static func isDefinition(_ vertex: Vertex) -> Bool {
        var current: Vertex? = vertex
        while let node = current {
            if case .definition = node.label { return true }
            current = node.parent
        }
        return false
    }

    /// Unifies a value into the vertex: a composite brings its conjuncts, anything else meets
    /// the vertex's basic value.
    private func meet(_ vertex: Vertex, _ value: Value, _ conjunct: Conjunct, _ expansion: inout Expansion) {
        switch value {
        case .composite(let other):
            copy(other, into: vertex, group: conjunct.group, definition: false, at: conjunct.position, &expansion)
        case .bottom(let error):
            setError(vertex, error)
        case .validator(let validator):
            if !vertex.validators.contains(validator) { vertex.validators.append(validator) }
        case .builtin(let name), .package(let name):
            setError(vertex, CUEError(.eval, "cannot use \(name) as a value", at: conjunct.position))
        default:
            unifyBasic(vertex, value, at: conjunct.position)
        }
    }

    /// Meets a basic value into the vertex; a conflict is located in source text when either
    /// side comes from a file.
    func unifyBasic(_ vertex: Vertex, _ value: Value, at position: CUEPosition) {
        let located = position.line == 0 && vertex.valuePosition.line > 0 ? vertex.valuePosition : position
        let result = unify(vertex.value, value, at: located)
        if case .bottom(let error) = result {
            setError(vertex, error)
        } else {
            vertex.value = result
            if position.line > 0 || vertex.valuePosition.line == 0 { vertex.valuePosition = position }
            if position.line > 0 { vertex.sourceMeets += 1 }
        }
    }

    /// Adds the conjuncts of `other` (a reference's target) to `vertex`, so that they are
    /// evaluated there: references inside them see `vertex`'s fields, as CUE's unification does.
    private func copy(_ other: Vertex, into vertex: Vertex, group: CloseGroup?, definition: Bool, at position: CUEPosition,
                      _ expansion: inout Expansion) {
        if other === vertex { return }  // `a: a`: a reference to itself adds nothing
        if vertex.hasAncestor(other) {
            setError(vertex, CUEError(.structuralCycle, "structural cycle", at: position))
            return
        }
        let identifier = ObjectIdentifier(other)
        guard !expansion.expanded.contains(identifier) else { return }
        expansion.expanded.append(identifier)
        if let parent = other.parent, parent.status == .new { evaluate(parent) }
        let newGroup = definition ? (group ?? CloseGroup(closed: true)) : group
        for conjunct in other.conjuncts {
            var copied = conjunct
            copied.group = newGroup ?? conjunct.group
            expansion.expand(copied)
        }
    }

    func setError(_ vertex: Vertex, _ error: CUEError) {
        guard vertex.error == nil else { return }
        var error = error
        if error.path.isEmpty { error.path = vertex.path }
        vertex.error = error
    }

    // MARK: Structs

    private func addStruct(_ structure: CUEStruct, _ conjunct: Conjunct, into vertex: Vertex, _ expansion: inout Expansion) {
        let environment = Environment(parent: conjunct.environment, vertex: vertex, structure: structure)
        let group = conjunct.group
        if structure.hasComprehensions { vertex.impliedStruct = true }
        reserveEmbeddedArcs(structure, environment, in: vertex)
        if structure.definesStruct {
            vertex.isStruct = true
            if let group {
                group.hasStruct = true
                if !vertex.groups.contains(where: { $0 === group }) { vertex.groups.append(group) }
            }
        }
        for declaration in structure.declarations {
            switch declaration {
            case .field(let field):
                guard let label = fieldLabel(field.label, environment, vertex) else { continue }
                if replacedRoot == ObjectIdentifier(vertex), case .field(let name) = label, replacedFields.contains(name) { continue }
                if case .field(let name) = label { group?.labels.insert(name) }
                var created = false
                let arc = vertex.ensureArc(label, created: &created)
                arc.presence = min(arc.presence, Self.presence(field.constraint))
                arc.declarations.append(field)
                arc.conjuncts.append(Conjunct(source: .expression(field.value), environment: environment,
                                              group: group?.child(label), position: field.value.position))
                if created {
                    guard tick(field.position) else { return }
                    applyPatterns(of: vertex, to: arc)
                }
            case .pattern(let labelExpression, let alias, let value, let position):
                let labelValue = evaluateExpression(labelExpression, environment)
                group?.patterns.append(labelValue)
                let pattern = Pattern(label: labelValue, conjunct: Conjunct(source: .expression(value), environment: environment,
                                                                            group: group, position: position), alias: alias)
                vertex.patterns.append(pattern)
                for arc in vertex.arcs { apply(pattern, to: arc) }
            case .embedding(let expression):
                var embedGroup = group
                if group == nil, Self.isDefinitionReference(expression) {
                    // Embedding a definition closes the struct to its fields and the struct's own.
                    let closed = CloseGroup(closed: true)
                    closed.hasStruct = true
                    for case .field(let field) in structure.declarations {
                        if case .identifier(let name) = field.label { closed.labels.insert(name) }
                        if case .string(let name) = field.label { closed.labels.insert(name) }
                    }
                    embedGroup = closed
                }
                // Processed in place, so that embedded fields keep their order of declaration.
                process(Conjunct(source: .expression(expression), environment: environment, group: embedGroup,
                                 position: expression.position), into: vertex, &expansion)
            case .ellipsis:
                group?.isOpen = true
            case .comprehension(let comprehension):
                reserveArcs(for: comprehension.body, in: vertex)
                expansion.comprehensions.append((comprehension, environment, group))
            case .letClause, .attribute:
                break
            }
        }
    }

    /// Creates (not present) the arcs of the structs a literal embeds by reference, before the
    /// literal's own fields, so that `{#Base, extra: 1}` exports `#Base`'s fields first.
    private func reserveEmbeddedArcs(_ structure: CUEStruct, _ environment: Environment, in vertex: Vertex) {
        // Only definitions: evaluating another embedded value this early could see this
        // struct before its own fields exist.
        for case .embedding(let expression) in structure.declarations where Self.isDefinitionReference(expression) {
            guard case .vertex(let target) = resolve(expression, environment), !vertex.hasAncestor(target) else { continue }
            evaluate(target)
            guard let resolved = resolvedDisjunct(target), resolved.isStruct else { continue }
            for arc in resolved.arcs where arc.isDeclared {
                var created = false
                let reserved = vertex.ensureArc(arc.label, created: &created)
                if created { applyPatterns(of: vertex, to: reserved) }
            }
        }
    }

    /// Creates (not present) the arcs a comprehension may yield, so that fields it yields keep
    /// the place of the comprehension among the struct's fields when exported.
    private func reserveArcs(for body: CUEStruct, in vertex: Vertex) {
        for declaration in body.declarations {
            switch declaration {
            case .field(let field):
                let label: Label
                switch field.label {
                case .identifier(let name): label = Label(name: name)
                case .string(let name): label = .field(name)
                case .dynamic: continue
                }
                var created = false
                let arc = vertex.ensureArc(label, created: &created)
                if created { applyPatterns(of: vertex, to: arc) }
            case .comprehension(let inner):
                reserveArcs(for: inner.body, in: vertex)
            default:
                break
            }
        }
    }

    static func presence(_ constraint: CUEField.Constraint) -> Vertex.Presence {
        switch constraint {
        case .regular: return .regular
        case .required: return .required
        case .optional: return .optional
        }
    }

    static func isDefinitionReference(_ expression: CUEExpr) -> Bool {
        switch expression.kind {
        case .identifier(let name): return name.hasPrefix("#") || name.hasPrefix("_#")
        case .selector(_, let name): return name.hasPrefix("#") || name.hasPrefix("_#")
        default: return false
        }
    }

    private func fieldLabel(_ label: CUELabel, _ environment: Environment, _ vertex: Vertex) -> Label? {
        switch label {
        case .identifier(let name): return Label(name: name)
        case .string(let name): return .field(name)
        case .dynamic(let expression):
            switch evaluateExpression(expression, environment) {
            case .scalar(.string(let name)): return .field(name)
            case .bottom(let error):
                if error.kind == .incomplete { vertex.incomplete.append(error) } else { setError(vertex, error) }
            case let other:
                let error = CUEError(other.isConcreteScalar ? .eval : .incomplete,
                                     "invalid label: \(other.description) is not a concrete string", at: expression.position)
                if error.kind == .incomplete { vertex.incomplete.append(error) } else { setError(vertex, error) }
            }
            return nil
        }
    }

    /// Adds the constraints of every matching pattern and list tail to a new arc.
    private func applyPatterns(of vertex: Vertex, to arc: Vertex) {
        for pattern in vertex.patterns { apply(pattern, to: arc) }
        if case .index(let index) = arc.label {
            for tail in vertex.listTails where index >= tail.from {
                var conjunct = tail.conjunct
                conjunct.group = conjunct.group?.child(arc.label)
                arc.conjuncts.append(conjunct)
            }
        }
    }

    private func apply(_ pattern: Pattern, to arc: Vertex) {
        guard case .field(let name) = arc.label, labelMatches(pattern.label, name) else { return }
        var conjunct = pattern.conjunct
        conjunct.group = conjunct.group?.child(arc.label)
        if let alias = pattern.alias {
            conjunct.environment = Environment(parent: conjunct.environment, vertex: nil, structure: nil,
                                               bindings: [alias: .value(.scalar(.string(name)))])
        }
        arc.conjuncts.append(conjunct)
    }

    func labelMatches(_ pattern: Value, _ name: String) -> Bool {
        switch pattern {
        case .top: return true
        case .scalar(.string(let text)): return text == name
        case .constraint(let kinds, let bounds):
            guard kinds.contains(.string) else { return false }
            for bound in bounds {
                guard (try? bound.admits(.string(name), regexCache: regexCache)) == true else { return false }
            }
            return true
        default: return false
        }
    }

    // MARK: Lists

    private func addList(_ elements: [CUEListElement], _ conjunct: Conjunct, into vertex: Vertex, _ expansion: inout Expansion) {
        vertex.isList = true
        let environment = conjunct.environment
        var index = 0
        var isOpen = false
        func addElement(_ source: Conjunct.Source, _ environment: Environment?, _ position: CUEPosition) {
            let label = Label.index(index)
            var created = false
            let arc = vertex.ensureArc(label, created: &created)
            arc.presence = .regular
            arc.conjuncts.append(Conjunct(source: source, environment: environment, group: conjunct.group?.child(label),
                                          position: position))
            if created {
                _ = tick(position)
                applyPatterns(of: vertex, to: arc)
            }
            index += 1
        }
        for element in elements {
            switch element {
            case .expression(let expression):
                addElement(.expression(expression), environment, expression.position)
            case .comprehension(let comprehension):
                guard let environment else { continue }
                runComprehension(comprehension, environment, into: vertex) { bodyEnvironment in
                    addElement(.structure(comprehension.body), bodyEnvironment, comprehension.position)
                }
            case .ellipsis(let type, let position):
                isOpen = true
                if let type {
                    let tail = Conjunct(source: .expression(type), environment: environment, group: conjunct.group, position: position)
                    vertex.listTails.append((index, tail))
                    for arc in vertex.arcs {
                        if case .index(let arcIndex) = arc.label, arcIndex >= index {
                            var copied = tail
                            copied.group = copied.group?.child(arc.label)
                            arc.conjuncts.append(copied)
                        }
                    }
                }
            }
            if index > limits.maxListLength {
                setError(vertex, limitError("list longer than \(limits.maxListLength) elements", at: conjunct.position))
                return
            }
        }
        if isOpen { vertex.openListLengths.append(index) } else { vertex.closedListLengths.append(index) }
    }

    // MARK: Comprehensions

    /// Runs the clauses; for each result, calls `yield` with the environment holding the
    /// bindings. Errors in a clause make the vertex bottom (or incomplete, if they are).
    func runComprehension(_ comprehension: CUEComprehension, _ environment: Environment, into vertex: Vertex,
                          yield: (Environment) -> Void) {
        var produced = 0
        func fail(_ error: CUEError) {
            if error.kind == .incomplete { vertex.incomplete.append(error) } else { setError(vertex, error) }
        }
        func run(_ clauseIndex: Int, _ environment: Environment) -> Bool {
            guard clauseIndex < comprehension.clauses.count else {
                produced += 1
                if produced > limits.maxListLength {
                    fail(limitError("comprehension produces more than \(limits.maxListLength) values", at: comprehension.position))
                    return false
                }
                yield(environment)
                return true
            }
            switch comprehension.clauses[clauseIndex] {
            case .ifClause(let condition, let position):
                switch evaluateExpression(condition, environment) {
                case .scalar(.bool(let value)):
                    return value ? run(clauseIndex + 1, environment) : true
                case .bottom(let error):
                    fail(error)
                    return false
                case let other:
                    fail(CUEError(other.isConcreteScalar ? .eval : .incomplete,
                                  other.isConcreteScalar ? "cannot use \(other.description) (type \(other.kinds.name)) as type bool"
                                                         : "incomplete value \(other.description) in if condition", at: position))
                    return false
                }
            case .letClause(let name, let expression, _):
                return run(clauseIndex + 1, Environment(parent: environment, vertex: nil, structure: nil,
                                                        bindings: [name: .lazy(expression, environment)]))
            case .forIn(let key, let value, let source, let position):
                let sourceValue = evaluateExpression(source, environment)
                guard case .composite(let collection) = sourceValue else {
                    if case .bottom(let error) = sourceValue { fail(error); return false }
                    let concrete = sourceValue.isConcreteScalar
                    fail(CUEError(concrete ? .eval : .incomplete,
                                  "cannot range over \(sourceValue.description) (found \(sourceValue.kinds.name), want list or struct)",
                                  at: position))
                    return false
                }
                let items: [(CUEScalar, Vertex)]
                if collection.isList {
                    items = collection.elements.map { (.int(indexOf($0)), $0) }
                } else {
                    items = collection.arcs.compactMap { arc in
                        guard case .field(let name) = arc.label, arc.isPresent else { return nil }
                        return (.string(name), arc)
                    }
                }
                for (label, element) in items {
                    var bindings: [String: Environment.Binding] = [value: .vertex(element)]
                    if let key { bindings[key] = .value(.scalar(label)) }
                    let inner = Environment(parent: environment, vertex: nil, structure: nil, bindings: bindings)
                    guard run(clauseIndex + 1, inner) else { return false }
                }
                return true
            }
        }
        _ = run(0, environment)
    }

    private func indexOf(_ vertex: Vertex) -> Int {
        if case .index(let index) = vertex.label { return index }
        return 0
    }

    // MARK: JSON

    private func addJSON(_ json: JSONValue, into vertex: Vertex, _ conjunct: Conjunct) {
        switch json {
        case .object(let object):
            vertex.isStruct = true
            for member in object {
                var created = false
                let arc = vertex.ensureArc(.field(member.key), created: &created)
                arc.presence = .regular
                arc.conjuncts.append(Conjunct(source: .json(member.value), environment: nil, group: nil, position: conjunct.position))
                if created { applyPatterns(of: vertex, to: arc) }
            }
        case .array(let items):
            vertex.isList = true
            for (index, item) in items.enumerated() {
                var created = false
                let arc = vertex.ensureArc(.index(index), created: &created)
                arc.presence = .regular
                arc.conjuncts.append(Conjunct(source: .json(item), environment: nil, group: nil, position: conjunct.position))
                if created { applyPatterns(of: vertex, to: arc) }
            }
            vertex.closedListLengths.append(items.count)
        default:
            let scalar: CUEScalar
            switch json {
            case .null: scalar = .null
            case .bool(let value): scalar = .bool(value)
            case .int(let value): scalar = .int(value)
            case .double(let value): scalar = .float(value)
            case .string(let value): scalar = .string(value)
            default: return
            }
            unifyBasic(vertex, .scalar(scalar), at: conjunct.position)
        }
    }

    // MARK: Checks

    /// After all conjuncts: a struct or list must not also be a basic value, lists must agree
    /// on their length, and closed structs must allow every field.
    private func checkShape(_ vertex: Vertex) {
        guard vertex.error == nil else { return }
        if vertex.impliedStruct, !vertex.isStruct, !vertex.isList, case .top = vertex.value { vertex.isStruct = true }
        func position() -> CUEPosition { vertex.conjuncts.first?.position ?? .none }  // for errors only
        if vertex.isStruct && vertex.isList {
            setError(vertex, CUEError(.eval, "conflicting values {...} and [...] (mismatched types struct and list)", at: position()))
            return
        }
        if vertex.isStruct || vertex.isList {
            let kind: CUEKind = vertex.isList ? .list : .structure
            switch vertex.value {
            case .top: break
            case .constraint(let kinds, _) where kinds.contains(kind): break
            default:
                let shown = vertex.isList ? "[...]" : "{...}"
                setError(vertex, CUEError(.eval, "conflicting values \(vertex.value.description) and \(shown) (mismatched types \(vertex.value.kinds.name) and \(kind.name))",
                                          at: position()))
                return
            }
        }
        if vertex.isList {
            let lengths = vertex.closedListLengths
            if let first = lengths.first, lengths.contains(where: { $0 != first }) {
                let sorted = Set(lengths).sorted()
                setError(vertex, CUEError(.eval, "incompatible list lengths (\(sorted[0]) and \(sorted[1]))", at: position()))
                return
            }
            let count = vertex.arcs.count { if case .index = $0.label { true } else { false } }
            if let length = lengths.first, count > length {
                setError(vertex, CUEError(.eval, "incompatible list lengths (\(length) and \(count))", at: position()))
                return
            }
        }
        for validator in vertex.validators {
            guard vertex.isStruct else {
                let kind: CUEError.Kind = vertex.value.isConcreteScalar || vertex.isList ? .eval : .incomplete
                setError(vertex, CUEError(kind, "invalid value \(describe(vertex)) (does not satisfy \(validator.description))",
                                          at: validator.position))
                return
            }
            let count = vertex.arcs.filter { if case .field = $0.label { $0.isPresent } else { false } }.count
            if !validator.admits(fieldCount: count) {
                setError(vertex, CUEError(.eval, "invalid value {...} (does not satisfy \(validator.description))", at: validator.position))
                return
            }
        }
        let closedGroups = vertex.groups.filter { $0.isClosed && !$0.isOpen && $0.hasStruct }
        guard !closedGroups.isEmpty else { return }
        for arc in vertex.arcs where arc.isDeclared {
            guard case .field(let name) = arc.label else { continue }
            for group in closedGroups where !group.labels.contains(name) {
                if group.patterns.contains(where: { labelMatches($0, name) }) { continue }
                arc.status = .done
                setError(arc, CUEError(.eval, "field not allowed", at: arc.conjuncts.first?.position ?? position()))
                break
            }
        }
    }
}
