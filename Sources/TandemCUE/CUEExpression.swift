import TandemJSON

/// One CUE expression — a workflow step's `if` or an output's `valueFrom` — checked on its own
/// and evaluated over JSON values bound to names (`status`, `inputs`, or a step's value). It
/// may begin with imports of CUE's standard packages (`import "strings"`), as KubeVela allows.
public struct CUEExpression: Sendable {
    public let text: String
    private let file: CUEFile

    /// The field the expression is bound to: a name no template or status uses.
    private static let result = "tandemExpressionResult__"

    /// Parses `text` as a single expression; the error says what does not parse.
    public init(_ text: String) throws(CUESyntaxErrors) {
        self.text = text
        let (imports, expression) = Self.splitImports(text)
        file = try CUEFile.parse(source: imports + "\(Self.result): (\n\(expression)\n)\n", file: "expression")
        guard file.root.declarations.count == 1 else {
            throw CUESyntaxErrors([CUESyntaxError("expected one expression", at: CUEPosition(file: "expression", line: 1, column: 1))])
        }
    }

    /// The expression's value with each top-level field of `scope` in reach (`status.a.phase`
    /// when scope is `{"status": {...}}`); an error when it is incomplete or conflicting.
    public func evaluate(in scope: JSONValue) throws(CUEError) -> JSONValue {
        let context = CUEContext()
        let root = context.evaluate([file], injecting: [(path: [], value: scope)])
        guard let value = root.lookup([Self.result]) else {
            throw CUEError(.incomplete, "the expression has no value")
        }
        return try value.export()
    }

    /// The leading `import` lines (a single import, or a parenthesised block) and the rest.
    private static func splitImports(_ text: String) -> (imports: String, expression: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        var imports = ""
        var inBlock = false
        while let line = lines.first {
            let trimmed = String(line.drop { $0 == " " || $0 == "\t" })
            if inBlock {
                if trimmed.hasPrefix(")") { inBlock = false }
            } else if trimmed.hasPrefix("import") {
                inBlock = trimmed.last == "("
            } else if !trimmed.isEmpty {
                break
            }
            imports += line + "\n"
            lines = lines.dropFirst()
        }
        return (imports, lines.joined(separator: "\n"))
    }
}
