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
