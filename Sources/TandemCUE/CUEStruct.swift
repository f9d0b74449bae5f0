/// A struct literal `{ ... }` (or a file's top level): its declarations in source order.
public final class CUEStruct: Sendable {
    public let declarations: [CUEDeclaration]
    public let position: CUEPosition
    /// Names of the fields, definitions, hidden fields and lets this literal declares with a
    /// plain identifier label: the names a reference inside it resolves to (lexical scope).
    let declaredNames: Set<String>
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
        letNames = lets
        aliases = aliasLabels
    }
}

public enum CUEDeclaration: Sendable {
    case field(CUEField)
    /// `[pattern]: value` or `[Name=pattern]: value`: a constraint on every field whose label
    /// matches `pattern` (`Name` is the label inside `value`).
    case pattern(CUEExpr, alias: String?, CUEExpr, CUEPosition)
    case embedding(CUEExpr)
    case ellipsis(CUEExpr?, CUEPosition)
    case letClause(String, CUEExpr, CUEPosition)
    case comprehension(CUEComprehension)
    case attribute(String, CUEPosition)
}

/// A field `label: value`, with `?` (optional) or `!` (required) if written.
public final class CUEField: Sendable {
    public enum Constraint: Sendable { case regular, optional, required }

    public let label: CUELabel
    /// `X` in `X=label: value`: a name for the field, also for quoted labels.
    public let alias: String?
    public let constraint: Constraint
    public let value: CUEExpr
    public let attributes: [String]
    /// The comment lines directly above the field, without `//` (KubeVela's `+usage=` lines).
    public let docComments: [String]
    public let position: CUEPosition

    public init(label: CUELabel, alias: String? = nil, constraint: Constraint, value: CUEExpr, attributes: [String],
                docComments: [String], at position: CUEPosition) {
        self.label = label
        self.alias = alias
        self.constraint = constraint
        self.value = value
        self.attributes = attributes
        self.docComments = docComments
        self.position = position
    }
}

public enum CUELabel: Sendable {
    /// `name`, `#Def`, `_hidden`: can be referenced.
    case identifier(String)
    /// `"quoted name"`: a regular field that cannot be referenced by name.
    case string(String)
    /// `(expr)` or `"\(interpolated)"`: computed while evaluating.
    case dynamic(CUEExpr)
}

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

/// A parsed `.cue` file.
public final class CUEFile: Sendable {
    public struct Import: Sendable, Hashable {
        public var path: String
        /// The name the file uses for the package: the alias, else the path's last element.
        public var name: String
        public var position: CUEPosition
    }

    public let name: String
    public let packageName: String?
    public let imports: [Import]
    public let root: CUEStruct

    init(name: String, packageName: String?, imports: [Import], root: CUEStruct) {
        self.name = name
        self.packageName = packageName
        self.imports = imports
        self.root = root
    }

    /// Parses CUE source; `file` names it in positions and errors.
    public static func parse(source: String, file: String, limits: CUELimits = .default) throws(CUESyntaxErrors) -> CUEFile {
        do {
            var parser = try CUEParser(source: Array(source.utf8), file: file, limits: limits)
            return try parser.parseFile()
        } catch {
            throw CUESyntaxErrors([error])
        }
    }
}
