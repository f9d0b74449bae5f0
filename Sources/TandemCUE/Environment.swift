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
}
