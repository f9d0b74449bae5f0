/// Every vertex of one evaluation. Vertices and the environments of their conjuncts refer to
/// each other; the arena breaks those cycles when the evaluation ends, so memory is freed.
final class VertexArena {
    private var vertices: [Vertex] = []

    func register(_ vertex: Vertex) { vertices.append(vertex) }

    func tearDown() {
        for vertex in vertices { vertex.releaseReferences() }
        vertices = []
    }
}
