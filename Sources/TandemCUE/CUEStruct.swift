/// A struct literal `{ ... }` (or a file's top level): its declarations in source order.
public final class CUEStruct: Sendable {
    public let declarations: [CUEDeclaration]
    public let position: CUEPosition
    /// Names of the fields, definitions, hidden fields and lets this literal declares with a
    /// plain identifier label: the names a reference inside it resolves to (lexical scope).
    let declaredNames: Set<String>
    /// The same names as a list when there are few: comparing a few short names costs less
    /// than hashing one, and every reference is looked up through each enclosing literal.
    private let fewDeclaredNames: [String]?
    /// Names declared by `let` in this literal.
    let letNames: [String: CUEExpr]
    /// Field aliases (`X=label: value`) in this literal, with the labels they name.
    let aliases: [String: CUELabel]
    /// Whether the literal is a struct by itself, not only an embedding of some other value.
    let definesStruct: Bool
    /// Whether it has comprehensions: if they yield nothing, the literal is an empty struct.
    let hasComprehensions: Bool

    public init(_ declarations: [CUEDeclaration], at position: CUEPosition) {
        self.declarations = declarations
        self.position = position
        var names: Set<String> = []
        var lets: [String: CUEExpr] = [:]
        var aliasLabels: [String: CUELabel] = [:]
        var regularFields = false
        var embeds = false
        for declaration in declarations {
            switch declaration {
            case .field(let field):
                if let alias = field.alias {
                    names.insert(alias)
                    aliasLabels[alias] = field.label
                }
                switch field.label {
                case .identifier(let name):
                    names.insert(name)
                    if !name.hasPrefix("_") && !name.hasPrefix("#") { regularFields = true }
                case .string, .dynamic:
                    regularFields = true
                }
            case .letClause(let name, let value, _):
                names.insert(name)
                lets[name] = value
            case .embedding, .comprehension: embeds = true  // a comprehension may yield a scalar
            case .attribute: break
            case .pattern, .ellipsis: regularFields = true
            }
        }
        // Hidden fields and definitions may sit beside an embedded scalar: `{_x: 1, "a"}` is "a".
        definesStruct = regularFields || !embeds
        hasComprehensions = declarations.contains { if case .comprehension = $0 { true } else { false } }
        declaredNames = names
        fewDeclaredNames = names.count <= 8 ? Array(names) : nil
        letNames = lets
        aliases = aliasLabels
    }

    func declares(_ name: String) -> Bool {
        if let fewDeclaredNames { return fewDeclaredNames.contains(name) }
        return declaredNames.contains(name)
    }
}
