/// A node of the evaluated value tree: a field, a list element, or a detached value. It collects
/// the conjuncts unified into it and, once evaluated, holds their meet: a basic value and/or
/// arcs (fields or list elements).
final class Vertex {
    enum Status { case new, evaluating, done }
    /// How a field was declared: an optional or required field without a regular conjunct is
    /// not present (referencing it is incomplete; export leaves it out).
    enum Presence: Int, Comparable {
        case regular = 0, required = 1, optional = 2
        static func < (a: Presence, b: Presence) -> Bool { a.rawValue < b.rawValue }
    }

    /// Unowned, not weak: the arena keeps every vertex until the evaluation ends, and a weak
    /// reference would give each parent a side table.
    unowned var parent: Vertex?
    let label: Label
    var conjuncts: [Conjunct] = []
    var status = Status.new
    var presence = Presence.optional

    /// The meet of the basic values and types unified here, and where the last of them is
    /// written (for errors: a conflict with injected data is reported at the template's line).
    var value = Value.top
    var valuePosition = CUEPosition.none
    var isStruct = false
    /// A struct literal made only of comprehensions was unified here: if nothing else gives
    /// the vertex a value, it is an empty struct.
    var impliedStruct = false
    var isList = false
    private(set) var arcs: [Vertex] = []
    /// The arcs by label, once there are too many to search: most vertices have a few arcs,
    /// and a dictionary for each would cost more than it saves.
    private var arcIndex: [Label: Int]?
    private static let indexedArcCount = 12

    /// `[pattern]: value` constraints, applied to every matching arc (also ones added later).
    var patterns: [Pattern] = []
    /// `[a, b, ...T]`: element constraints from this index on.
    var listTails: [(from: Int, conjunct: Conjunct)] = []
    var closedListLengths: [Int] = []
    var openListLengths: [Int] = []
    /// Validators such as `struct.MinFields(1)`, checked once the vertex is evaluated.
    var validators: [Validator] = []
    /// Closedness groups of the conjuncts (definitions, `close()`).
    var groups: [CloseGroup] = []
    /// The error that makes this vertex bottom.
    var error: CUEError?
    /// Problems that leave the vertex incomplete without making it bottom (an `if` whose
    /// condition is not yet known); reported when the vertex is exported.
    var incomplete: [CUEError] = []
    /// Several disjuncts survived: the candidates and whether each is a default.
    var disjuncts: [(vertex: Vertex, isDefault: Bool)] = []
    /// Field declarations (for doc comments and types), in source order.
    var declarations: [CUEField] = []

    unowned let arena: VertexArena

    init(parent: Vertex?, label: Label, arena: VertexArena) {
        self.parent = parent
        self.label = label
        self.arena = arena
        arena.register(self)
    }

    /// Drops everything that can refer back to this vertex (conjuncts hold environments, which
    /// hold vertices), when the evaluation is over. Arcs and disjuncts need not be dropped:
    /// they do not own their parent, and their own conjuncts are dropped in their turn.
    func releaseReferences() {
        conjuncts = []
        if !patterns.isEmpty { patterns = [] }
        if !listTails.isEmpty { listTails = [] }
    }

    func arc(_ label: Label) -> Vertex? {
        if let arcIndex { return arcIndex[label].map { arcs[$0] } }
        return arcs.first { $0.label == label }
    }

    /// The arc with this label, created if missing.
    func ensureArc(_ label: Label, created: inout Bool) -> Vertex {
        if let existing = arc(label) { created = false; return existing }
        let arc = Vertex(parent: self, label: label, arena: arena)
        arcs.append(arc)
        if arcIndex != nil {
            arcIndex?[label] = arcs.count - 1
        } else if arcs.count > Self.indexedArcCount {
            indexArcs()
        }
        created = true
        return arc
    }

    private func indexArcs() {
        var index: [Label: Int] = [:]
        index.reserveCapacity(arcs.count * 2)
        for (offset, arc) in arcs.enumerated() { index[arc.label] = offset }
        arcIndex = index
    }

    /// The arcs of a list, in index order.
    var elements: [Vertex] {
        arcs.filter { if case .index = $0.label { true } else { false } }.sorted {
            if case .index(let a) = $0.label, case .index(let b) = $1.label { return a < b }
            return false
        }
    }

    /// The path of labels from the root, as CUE prints it (`a.b[0]` as `a.b.0`).
    var path: [String] {
        var result: [String] = []
        var current: Vertex? = self
        while let vertex = current, vertex.parent != nil || !vertex.label.isRoot {
            if !vertex.label.isRoot { result.append(vertex.label.description) }
            current = vertex.parent
        }
        return result.reversed()
    }

    /// Whether `other` is this vertex or one of its ancestors.
    func hasAncestor(_ other: Vertex) -> Bool {
        var current: Vertex? = self
        while let vertex = current {
            if vertex === other { return true }
            current = vertex.parent
        }
        return false
    }

    /// Takes over the result of evaluating `other` (the one disjunct that survived).
    func adopt(_ other: Vertex) {
        value = other.value
        valuePosition = other.valuePosition
        isStruct = other.isStruct
        impliedStruct = other.impliedStruct
        isList = other.isList
        arcs = other.arcs
        arcIndex = nil
        for arc in arcs { arc.parent = self }
        if arcs.count > Self.indexedArcCount { indexArcs() }
        patterns = other.patterns
        listTails = other.listTails
        closedListLengths = other.closedListLengths
        openListLengths = other.openListLengths
        groups = other.groups
        validators = other.validators
        error = other.error
        incomplete = other.incomplete
        disjuncts = other.disjuncts
        declarations += other.declarations.filter { field in !declarations.contains { $0 === field } }
    }

    /// Takes the evaluated value of `other` as its own, sharing its arcs (which keep their
    /// parent): `other` is settled, and this vertex had nothing but a reference to it.
    func share(_ other: Vertex) {
        value = other.value
        valuePosition = other.valuePosition
        isStruct = other.isStruct
        impliedStruct = other.impliedStruct
        isList = other.isList
        arcs = other.arcs
        arcIndex = other.arcIndex
        patterns = other.patterns
        listTails = other.listTails
        closedListLengths = other.closedListLengths
        openListLengths = other.openListLengths
        groups = other.groups
        validators = other.validators
        disjuncts = other.disjuncts
    }

    /// Evaluated, with no error among its present fields: set by `Evaluator.isSettled`.
    var isSettled = false

    /// A field is present when it has a regular conjunct, not only `?:` or `!:` ones.
    var isPresent: Bool { presence == .regular }
    /// Whether the field is declared at all (not only reserved for a comprehension that did
    /// not yield it).
    var isDeclared: Bool { isPresent || !declarations.isEmpty }
    /// How many basic values written in source text were met here (for where a disjunct's
    /// value is written, `Evaluator.resolveBasicDisjunction`).
    var sourceMeets = 0
    /// For a disjunct being tried: the branch chosen for each disjunction met so far.
    var forcedChoices: [Int] = []
    /// For a disjunct being tried: the number of branch combinations its choices stand for.
    var combinations = 1
}
