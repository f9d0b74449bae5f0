import TandemJSON

/// One thing unified into a vertex: an expression with the environment it is evaluated in.
struct Conjunct {
    enum Source {
        case expression(CUEExpr)
        /// A struct literal's body (a comprehension's result).
        case structure(CUEStruct)
        case value(Value)
        /// The conjuncts of another vertex (a reference's target, a builtin's result).
        case vertex(Vertex)
        case json(JSONValue)
        /// A closed list of these elements (a builtin's or a slice's result).
        indirect case elements([Source])
    }

    var source: Source
    var environment: Environment?
    /// The closedness group the conjunct belongs to, if it comes from a definition.
    var group: CloseGroup?
    /// Where the conjunct is written, for errors.
    var position: CUEPosition
}

/// Fields allowed by one definition (or `close()`) in one vertex. Fields of a vertex must be
/// allowed by each of its closed groups; a child field gets the group's child group.
final class CloseGroup {
    private let closedItself: Bool
    private weak var parentGroup: CloseGroup?
    var labels: Set<String> = []
    var patterns: [Value] = []
    var isOpen = false
    var hasStruct = false
    private var children: [Label: CloseGroup] = [:]

    init(closed: Bool, parent: CloseGroup? = nil) {
        closedItself = closed
        parentGroup = parent
    }

    var isClosed: Bool { closedItself || (parentGroup?.isClosed ?? false) }

    func child(_ label: Label) -> CloseGroup {
        if let group = children[label] { return group }
        let group = CloseGroup(closed: false, parent: self)
        children[label] = group
        return group
    }
}

/// The lexical scope an expression is evaluated in: a struct literal placed in a vertex, or a
/// comprehension's or file's bindings.
final class Environment {
    enum Binding {
        case value(Value)
        case vertex(Vertex)
        case lazy(CUEExpr, Environment)
        case package(String)
    }

    let parent: Environment?
    let vertex: Vertex?
    let structure: CUEStruct?
    var bindings: [String: Binding]
    /// `let` values, evaluated once per environment.
    var letVertices: [String: Vertex] = [:]

    init(parent: Environment?, vertex: Vertex?, structure: CUEStruct?, bindings: [String: Binding] = [:]) {
        self.parent = parent
        self.vertex = vertex
        self.structure = structure
        self.bindings = bindings
    }

    var depth: Int {
        var count = 0
        var current = parent
        while let environment = current { count += 1; current = environment.parent }
        return count
    }
}
