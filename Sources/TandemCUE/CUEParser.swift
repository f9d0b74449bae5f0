/// A recursive-descent parser for CUE, with the nesting depth bounded by `CUELimits.maxDepth`.
struct CUEParser {
    private var tokens: [CUEToken]
    private var index = 0
    private let file: String
    private let limits: CUELimits
    private var depth = 0

    init(source: [UInt8], file: String, limits: CUELimits, line: Int = 1, column: Int = 1) throws(CUESyntaxError) {
        var lexer = CUELexer(source: source, file: file, line: line, column: column)
        tokens = try lexer.tokenize()
        self.file = file
        self.limits = limits
    }

    private var current: CUEToken { tokens[index] }
    private func peekKind(_ ahead: Int = 1) -> CUEToken.Kind {
        index + ahead < tokens.count ? tokens[index + ahead].kind : .eof
    }

    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    private func isOp(_ op: String) -> Bool {
        if case .op(let text) = current.kind { return text == op }
        return false
    }

    private var isComma: Bool {
        if case .comma = current.kind { return true }
        return false
    }

    private func error(_ message: String) -> CUESyntaxError {
        CUESyntaxError(message, at: current.position)
    }

    private func describe(_ token: CUEToken) -> String {
        switch token.kind {
        case .ident(let name): return "'\(name)'"
        case .keyword(let word): return "'\(word)'"
        case .int, .float: return "number"
        case .string: return "string"
        case .attribute: return "attribute"
        case .op(let op): return "'\(op)'"
        case .comma(let implicit): return implicit ? "newline" : "','"
        case .eof: return "EOF"
        }
    }

    private mutating func expect(_ op: String) throws(CUESyntaxError) {
        guard isOp(op) else { throw error("expected '\(op)', found \(describe(current))") }
        advance()
    }

    private mutating func enter() throws(CUESyntaxError) {
        depth += 1
        if depth > limits.maxDepth { throw error("nesting too deep (more than \(limits.maxDepth) levels)") }
    }

    // MARK: File

    mutating func parseFile() throws(CUESyntaxError) -> CUEFile {
        var packageName: String?
        var imports: [CUEFile.Import] = []
        var declarations: [CUEDeclaration] = []
        skipAttributesAndCommas(into: &declarations)
        if case .keyword("package") = current.kind {
            advance()
            guard case .ident(let name) = current.kind else { throw error("expected package name, found \(describe(current))") }
            packageName = name
            advance()
            try endOfDeclaration(closing: nil)
        }
        skipAttributesAndCommas(into: &declarations)
        while case .keyword("import") = current.kind {
            advance()
            if isOp("(") {
                advance()
                while true {
                    while isComma { advance() }
                    if isOp(")") { advance(); break }
                    imports.append(try importSpec())
                    try endOfDeclaration(closing: ")")
                }
            } else {
                imports.append(try importSpec())
            }
            try endOfDeclaration(closing: nil)
            skipAttributesAndCommas(into: &declarations)
        }
        let start = current.position
        while true {
            if case .eof = current.kind { break }
            if isComma { advance(); continue }
            declarations.append(try declaration())
            try endOfDeclaration(closing: nil)
        }
        return CUEFile(name: file, packageName: packageName, imports: imports, root: CUEStruct(declarations, at: start))
    }

    private mutating func skipAttributesAndCommas(into declarations: inout [CUEDeclaration]) {
        while true {
            if isComma { advance(); continue }
            if case .attribute(let text) = current.kind {
                declarations.append(.attribute(text, current.position))
                advance()
                continue
            }
            return
        }
    }

    private mutating func importSpec() throws(CUESyntaxError) -> CUEFile.Import {
        let position = current.position
        var alias: String?
        if case .ident(let name) = current.kind {
            alias = name
            advance()
        }
        guard case .string(let parts, false) = current.kind, parts.count == 1, case .text(let path) = parts[0] else {
            throw error("expected import path, found \(describe(current))")
        }
        advance()
        var name = alias ?? String(path.split(separator: "/").last ?? Substring(path))
        if alias == nil, let colon = name.firstIndex(of: ":") { name = String(name[name.index(after: colon)...]) }
        return CUEFile.Import(path: path, name: name, position: position)
    }

    /// After a declaration: a comma (written or at a line end), or the closing bracket.
    private mutating func endOfDeclaration(closing: String?) throws(CUESyntaxError) {
        if isComma { advance(); return }
        if let closing, isOp(closing) { return }
        if case .eof = current.kind, closing == nil { return }
        throw error("expected ',' or newline, found \(describe(current))")
    }

    // MARK: Declarations

    private mutating func declaration() throws(CUESyntaxError) -> CUEDeclaration {
        let token = current
        let doc = token.commentsDetached ? [] : token.comments
        switch token.kind {
        case .attribute(let text):
            advance()
            return .attribute(text, token.position)
        case .op("..."):
            advance()
            if isComma || isOp("}") { return .ellipsis(nil, token.position) }
            return .ellipsis(try expression(), token.position)
        case .keyword("let") where !isLabelFollow(peekKind()):
            advance()
            let (name, value) = try letBinding()
            return .letClause(name, value, token.position)
        case .keyword("for") where !isLabelFollow(peekKind()), .keyword("if") where !isLabelFollow(peekKind()):
            return .comprehension(try comprehension())
        case .keyword(let word) where isLabelFollow(peekKind()):
            advance()
            return try fieldRest(label: .identifier(word), doc: doc, at: token.position)
        default:
            break
        }
        if isOp("["), case .ident(let alias) = peekKind(), case .op("=") = peekKind(2) {
            // `[Name=pattern]: value`
            advance()
            advance()
            advance()
            let pattern = try expression()
            try expect("]")
            try expect(":")
            return .pattern(pattern, alias: alias, try fieldValue(), token.position)
        }
        if case .ident(let alias) = token.kind, case .op("=") = peekKind() {
            // `X=label: value`
            advance()
            advance()
            let labelToken = current
            let labelExpression = try unary()
            guard isOp(":") || ((isOp("?") || isOp("!")) && peekIsColon()) else {
                throw CUESyntaxError("expected ':' after aliased label", at: current.position)
            }
            return try fieldRest(label: try labelFrom(labelExpression), alias: alias, doc: doc, at: labelToken.position)
        }
        let expr = try expression()
        if isOp(":") || ((isOp("?") || isOp("!")) && peekIsColon()) {
            if case .listLiteral(let elements) = expr.kind {
                guard elements.count == 1, case .expression(let pattern) = elements[0] else {
                    throw CUESyntaxError("invalid pattern constraint: expected one expression in '[...]'", at: expr.position)
                }
                try expect(":")
                let value = try fieldValue()
                return .pattern(pattern, alias: nil, value, token.position)
            }
            let label = try labelFrom(expr)
            return try fieldRest(label: label, doc: doc, at: token.position)
        }
        return .embedding(expr)
    }

    /// Whether the token after the current one makes the current one a label (`:`, `?:`, `!:`).
    private func isLabelFollow(_ kind: CUEToken.Kind) -> Bool {
        guard case .op(let op) = kind else { return false }
        if op == ":" { return true }
        if op == "?" || op == "!", case .op(":") = peekKind(2) { return true }
        return false
    }

    private func peekIsColon() -> Bool {
        if case .op(":") = peekKind() { return true }
        return false
    }

    private func labelFrom(_ expr: CUEExpr) throws(CUESyntaxError) -> CUELabel {
        switch expr.kind {
        case .identifier(let name): return .identifier(name)
        case .string(let text): return .string(text)
        case .interpolation(_, bytes: false): return .dynamic(expr)
        case .parenthesized(let inner): return .dynamic(inner)
        case .null: return .identifier("null")
        case .bool(let value): return .identifier(value ? "true" : "false")
        default: throw CUESyntaxError("invalid label: expected identifier, string or (expression)", at: expr.position)
        }
    }

    /// The rest of a field after its label: `?`/`!`, `:`, and the value (which may itself be a
    /// further `label: value`, as in `a: b: c: 1`).
    private mutating func fieldRest(label: CUELabel, alias: String? = nil, doc: [String],
                                    at position: CUEPosition) throws(CUESyntaxError) -> CUEDeclaration {
        var constraint = CUEField.Constraint.regular
        if isOp("?") { constraint = .optional; advance() } else if isOp("!") { constraint = .required; advance() }
        try expect(":")
        let value: CUEExpr
        if startsChainedLabel() {
            try enter()
            let valuePosition = current.position
            let inner = try declaration()
            depth -= 1
            value = CUEExpr(.structLiteral(CUEStruct([inner], at: valuePosition)), at: valuePosition)
        } else {
            value = try fieldValue()
        }
        var attributes: [String] = []
        while case .attribute(let text) = current.kind {
            attributes.append(text)
            advance()
        }
        return .field(CUEField(label: label, alias: alias, constraint: constraint, value: value, attributes: attributes,
                               docComments: doc, at: position))
    }

    /// Whether the tokens ahead are `label:` (or `label?:`), making this a chained field.
    private func startsChainedLabel() -> Bool {
        switch current.kind {
        case .ident, .keyword:
            break
        case .op(let open) where open == "[" || open == "(":
            // `[pattern]: value` or `(expr): value`: find the matching bracket, look for a colon.
            let close = open == "[" ? "]" : ")"
            var level = 0
            var ahead = index
            while ahead < tokens.count {
                if case .op(let op) = tokens[ahead].kind {
                    if op == open { level += 1 }
                    if op == close { level -= 1; if level == 0 { break } }
                }
                if case .eof = tokens[ahead].kind { return false }
                ahead += 1
            }
            guard ahead + 1 < tokens.count else { return false }
            if case .op(":") = tokens[ahead + 1].kind { return true }
            if open == "(", case .op(let mark) = tokens[ahead + 1].kind, mark == "?" || mark == "!",
               ahead + 2 < tokens.count, case .op(":") = tokens[ahead + 2].kind { return true }
            return false
        case .string(_, false):
            break
        default:
            return false
        }
        let next = peekKind()
        if case .op(":") = next { return true }
        if case .op(let op) = next, op == "?" || op == "!" {
            if case .op(":") = peekKind(2) { return true }
        }
        return false
    }

    private mutating func fieldValue() throws(CUESyntaxError) -> CUEExpr {
        try expression()
    }

    private mutating func letBinding() throws(CUESyntaxError) -> (String, CUEExpr) {
        guard case .ident(let name) = current.kind else { throw error("expected identifier after 'let', found \(describe(current))") }
        advance()
        try expect("=")
        return (name, try expression())
    }

    private mutating func comprehension() throws(CUESyntaxError) -> CUEComprehension {
        let position = current.position
        var clauses: [CUEComprehension.Clause] = []
        while true {
            let clausePosition = current.position
            if case .keyword("for") = current.kind {
                advance()
                guard case .ident(let first) = current.kind else { throw error("expected identifier after 'for', found \(describe(current))") }
                advance()
                var key: String?
                var value = first
                if isComma, case .comma(implicit: false) = current.kind {
                    advance()
                    guard case .ident(let second) = current.kind else { throw error("expected identifier, found \(describe(current))") }
                    advance()
                    key = first
                    value = second
                }
                guard case .keyword("in") = current.kind else { throw error("expected 'in', found \(describe(current))") }
                advance()
                clauses.append(.forIn(key: key, value: value, source: try expression(), clausePosition))
            } else if case .keyword("if") = current.kind {
                advance()
                clauses.append(.ifClause(try expression(), clausePosition))
            } else if case .keyword("let") = current.kind {
                advance()
                let (name, value) = try letBinding()
                clauses.append(.letClause(name, value, clausePosition))
            } else {
                break
            }
        }
        guard isOp("{") else { throw error("expected '{' after comprehension clauses, found \(describe(current))") }
        let body = try structLiteral()
        guard case .structLiteral(let structure) = body.kind else { throw error("expected struct") }
        return CUEComprehension(clauses: clauses, body: structure, at: position)
    }

    // MARK: Expressions

    mutating func expression() throws(CUESyntaxError) -> CUEExpr {
        try enter()
        defer { depth -= 1 }
        return try binary(minimumPrecedence: 1)
    }

    private func binaryOperator() -> CUEOperator? {
        guard case .op(let text) = current.kind, let op = CUEOperator(rawValue: text), op != .not else { return nil }
        return op
    }

    private mutating func binary(minimumPrecedence: Int) throws(CUESyntaxError) -> CUEExpr {
        var left = try unary()
        while let op = binaryOperator(), op.precedence >= minimumPrecedence {
            advance()
            try enter()
            let right = try binary(minimumPrecedence: op.precedence + 1)
            depth -= 1
            left = CUEExpr(.binary(op, left, right), at: left.position)  // located where the operation begins
        }
        return left
    }

    private mutating func unary() throws(CUESyntaxError) -> CUEExpr {
        let position = current.position
        if case .op(let text) = current.kind,
           let op = CUEOperator(rawValue: text),
           [.not, .subtract, .add, .multiply, .less, .lessEqual, .greater, .greaterEqual, .notEqual, .match, .notMatch].contains(op)
        {
            advance()
            try enter()
            defer { depth -= 1 }
            return CUEExpr(.unary(op, try unary()), at: position)
        }
        return try postfix()
    }

    private mutating func postfix() throws(CUESyntaxError) -> CUEExpr {
        let start = current.position  // calls, indexes and slices are located where they begin
        var expr = try operand()
        while true {
            let position = current.position
            if isOp(".") {
                advance()
                let position = current.position  // a selector is located at its name
                switch current.kind {
                case .ident(let name), .keyword(let name):
                    advance()
                    expr = CUEExpr(.selector(expr, name), at: position)
                case .string(let parts, false) where parts.count == 1:
                    guard case .text(let name) = parts[0] else { throw error("invalid selector") }
                    advance()
                    expr = CUEExpr(.selector(expr, name), at: position)
                default:
                    throw error("expected selector, found \(describe(current))")
                }
            } else if isOp("[") {
                advance()
                try enter()
                defer { depth -= 1 }
                var low: CUEExpr?
                if !isOp(":") { low = try expression() }
                if isOp(":") {
                    advance()
                    var high: CUEExpr?
                    if !isOp("]") { high = try expression() }
                    try expect("]")
                    expr = CUEExpr(.slice(expr, low, high), at: start)
                } else {
                    try expect("]")
                    guard let low else { throw error("expected index") }
                    expr = CUEExpr(.index(expr, low), at: start)
                }
            } else if isOp("(") {
                advance()
                try enter()
                defer { depth -= 1 }
                var arguments: [CUEExpr] = []
                while true {
                    while case .comma(implicit: true) = current.kind { advance() }
                    if isOp(")") { break }
                    arguments.append(try expression())
                    if isComma { advance() } else if !isOp(")") {
                        throw error("expected ',' or ')' in argument list, found \(describe(current))")
                    }
                }
                try expect(")")
                expr = CUEExpr(.call(expr, arguments), at: start)
            } else {
                return expr
            }
        }
    }

    private mutating func operand() throws(CUESyntaxError) -> CUEExpr {
        let token = current
        let position = token.position
        switch token.kind {
        case .ident(let name):
            advance()
            switch name {
            case "null": return CUEExpr(.null, at: position)
            case "true": return CUEExpr(.bool(true), at: position)
            case "false": return CUEExpr(.bool(false), at: position)
            case "_": return CUEExpr(.top, at: position)
            default: return CUEExpr(.identifier(name), at: position)
            }
        case .int(let value):
            advance()
            return CUEExpr(.int(value), at: position)
        case .float(let value):
            advance()
            return CUEExpr(.float(value), at: position)
        case .string(let parts, let bytes):
            advance()
            return try stringExpression(parts, bytes: bytes, at: position)
        case .op("_|_"):
            advance()
            return CUEExpr(.bottom, at: position)
        case .op("("):
            advance()
            let inner = try expression()
            while case .comma(implicit: true) = current.kind { advance() }
            try expect(")")
            return CUEExpr(.parenthesized(inner), at: position)
        case .op("{"):
            return try structLiteral()
        case .op("["):
            return try listLiteral()
        default:
            throw error("expected operand, found \(describe(token))")
        }
    }

    private mutating func stringExpression(_ parts: [CUEStringPart], bytes: Bool, at position: CUEPosition) throws(CUESyntaxError) -> CUEExpr {
        if parts.count == 1, case .text(let text) = parts[0] {
            return CUEExpr(bytes ? .bytes(text) : .string(text), at: position)
        }
        var result: [CUEInterpolationPart] = []
        for part in parts {
            switch part {
            case .text(let text):
                if !text.isEmpty { result.append(.text(text)) }
            case .interpolation(let source, let start):
                var parser = try CUEParser(source: source, file: file, limits: limits, line: start.line, column: start.column)
                parser.depth = depth
                while case .comma(implicit: true) = parser.current.kind { parser.advance() }
                let expr = try parser.expression()
                while case .comma(implicit: true) = parser.current.kind { parser.advance() }
                guard case .eof = parser.current.kind else {
                    throw parser.error("unexpected \(parser.describe(parser.current)) in interpolation")
                }
                result.append(.expression(expr))
            }
        }
        return CUEExpr(.interpolation(result, bytes: bytes), at: position)
    }

    private mutating func structLiteral() throws(CUESyntaxError) -> CUEExpr {
        let position = current.position
        try expect("{")
        try enter()
        defer { depth -= 1 }
        var declarations: [CUEDeclaration] = []
        while true {
            if isComma { advance(); continue }
            if isOp("}") { break }
            if case .eof = current.kind { throw error("expected '}', found EOF") }
            declarations.append(try declaration())
            try endOfDeclaration(closing: "}")
        }
        try expect("}")
        return CUEExpr(.structLiteral(CUEStruct(declarations, at: position)), at: position)
    }

    private mutating func listLiteral() throws(CUESyntaxError) -> CUEExpr {
        let position = current.position
        try expect("[")
        try enter()
        defer { depth -= 1 }
        var elements: [CUEListElement] = []
        while true {
            while case .comma(implicit: true) = current.kind { advance() }
            if isOp("]") { break }
            if isOp("...") {
                let ellipsisPosition = current.position
                advance()
                var type: CUEExpr?
                if !isComma && !isOp("]") { type = try expression() }
                elements.append(.ellipsis(type, ellipsisPosition))
            } else if case .keyword(let word) = current.kind, word == "for" || word == "if" {
                elements.append(.comprehension(try comprehension()))
            } else {
                elements.append(.expression(try expression()))
            }
            if isComma { advance() } else if !isOp("]") {
                throw error("expected ',' or ']' in list, found \(describe(current))")
            }
        }
        try expect("]")
        return CUEExpr(.listLiteral(elements), at: position)
    }
}
