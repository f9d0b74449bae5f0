/// `for`, `if` and `let` clauses followed by a struct that is produced for each result.
public final class CUEComprehension: Sendable {
    public enum Clause: Sendable {
        case forIn(key: String?, value: String, source: CUEExpr, CUEPosition)
        case ifClause(CUEExpr, CUEPosition)
        case letClause(String, CUEExpr, CUEPosition)
    }

    public let clauses: [Clause]
    public let body: CUEStruct
    public let position: CUEPosition

    public init(clauses: [Clause], body: CUEStruct, at position: CUEPosition) {
        self.clauses = clauses
        self.body = body
        self.position = position
    }
}
