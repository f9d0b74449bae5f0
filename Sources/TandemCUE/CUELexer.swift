/// Turns CUE source into tokens, inserting commas at line ends as the spec says (after an
/// identifier, keyword, literal, `)`, `]`, `}`, `...`, `_|_` or `?`).
struct CUELexer {
    private let source: [UInt8]
    private let file: String
    private var offset = 0
    private var line: Int
    private var lineStart: Int
    private var columnBase: Int
    private var lastAllowsComma = false
    private var pendingComments: [String] = []
    private var lastCommentLine = -1

    static let keywords: Set<String> = ["package", "import", "for", "in", "if", "let"]

    init(source: [UInt8], file: String, line: Int = 1, column: Int = 1) {
        self.source = source
        self.file = file
        self.line = line
        self.lineStart = 0
        self.columnBase = column - 1
        self.firstLine = line
    }

    private var position: CUEPosition { position(at: offset) }

    private func position(at index: Int) -> CUEPosition {
        CUEPosition(file: file, line: line, column: index - lineStart + 1 + (line == firstLine ? columnBase : 0))
    }

    /// The line the source starts on: only its columns are offset by `columnBase`.
    private let firstLine: Int

    private func peek(_ ahead: Int = 0) -> UInt8 {
        offset + ahead < source.count ? source[offset + ahead] : 0
    }

    private mutating func newline() {
        line += 1
        lineStart = offset
    }

    private func error(_ message: String, at position: CUEPosition) -> CUESyntaxError {
        CUESyntaxError(message, at: position)
    }

    /// All tokens, ending with `.eof`.
    mutating func tokenize() throws(CUESyntaxError) -> [CUEToken] {
        var tokens: [CUEToken] = []
        while true {
            let token = try next()
            tokens.append(token)
            if case .eof = token.kind { return tokens }
        }
    }

    private mutating func next() throws(CUESyntaxError) -> CUEToken {
        // Skip white space and comments, inserting a comma at a line end where one is due.
        var blankLineAfterComment = false
        while offset < source.count {
            let byte = source[offset]
            if byte == UInt8(ascii: "\n") {
                if lastAllowsComma {
                    lastAllowsComma = false
                    let token = CUEToken(kind: .comma(implicit: true), position: position)
                    offset += 1
                    newline()
                    return token
                }
                if !pendingComments.isEmpty && lastCommentLine < line { blankLineAfterComment = true }
                offset += 1
                newline()
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                offset += 1
            } else if byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/") {
                var start = offset + 2
                if start < source.count, source[start] == UInt8(ascii: " ") { start += 1 }  // `// text` reads as `text`
                while offset < source.count && source[offset] != UInt8(ascii: "\n") { offset += 1 }
                pendingComments.append(String(decoding: source[start..<offset], as: UTF8.self))
                lastCommentLine = line
                blankLineAfterComment = false
            } else {
                break
            }
        }
        let start = position
        var token = try scanToken(start)
        token.comments = pendingComments
        token.commentsDetached = blankLineAfterComment
        pendingComments = []
        switch token.kind {
        case .ident, .keyword, .int, .float, .string: lastAllowsComma = true
        case .op(let op): lastAllowsComma = [")", "]", "}", "...", "_|_", "?"].contains(op)
        case .attribute: lastAllowsComma = true
        default: lastAllowsComma = false
        }
        if case .keyword(let word) = token.kind, word != "package", word != "import" {
            // `for`, `in`, `if`, `let` never end a line; a label spelled so is handled by the parser.
            lastAllowsComma = false
        }
        return token
    }

    private mutating func scanToken(_ start: CUEPosition) throws(CUESyntaxError) -> CUEToken {
        guard offset < source.count else {
            if lastAllowsComma {
                lastAllowsComma = false
                return CUEToken(kind: .comma(implicit: true), position: start)
            }
            return CUEToken(kind: .eof, position: start)
        }
        let byte = source[offset]
        if Self.isLetter(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
            || (byte == UInt8(ascii: "#") && (Self.isLetter(peek(1)) || peek(1) == UInt8(ascii: "_")))
        {
            if byte == UInt8(ascii: "_") && peek(1) == UInt8(ascii: "|") && peek(2) == UInt8(ascii: "_") {
                offset += 3
                return CUEToken(kind: .op("_|_"), position: start)
            }
            let begin = offset
            offset += 1
            while offset < source.count, Self.isLetter(source[offset]) || Self.isDigit(source[offset])
                || source[offset] == UInt8(ascii: "_") || source[offset] == UInt8(ascii: "$")
                || source[offset] == UInt8(ascii: "#")
            {
                offset += 1
            }
            let word = String(decoding: source[begin..<offset], as: UTF8.self)
            return CUEToken(kind: Self.keywords.contains(word) ? .keyword(word) : .ident(word), position: start)
        }
        if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && Self.isDigit(peek(1))) {
            return try scanNumber(start)
        }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            return try scanString(start, hashes: 0)
        }
        if byte == UInt8(ascii: "#") {
            var hashes = 0
            while peek(hashes) == UInt8(ascii: "#") { hashes += 1 }
            if peek(hashes) == UInt8(ascii: "\"") || peek(hashes) == UInt8(ascii: "'") {
                offset += hashes
                return try scanString(start, hashes: hashes)
            }
            throw error("illegal character '#'", at: start)
        }
        if byte == UInt8(ascii: "@") {
            return try scanAttribute(start)
        }
        let threes = ["..."]
        let twos = ["==", "!=", "<=", ">=", "=~", "!~", "&&", "||", "<-"]
        for op in threes where matches(op) {
            offset += 3
            return CUEToken(kind: .op(op), position: start)
        }
        for op in twos where matches(op) {
            offset += 2
            return CUEToken(kind: .op(op), position: start)
        }
        if byte == UInt8(ascii: ",") {
            offset += 1
            return CUEToken(kind: .comma(implicit: false), position: start)
        }
        let singles = "{}[]()<>:=!?&|+-*/.;"
        if singles.utf8.contains(byte) {
            offset += 1
            return CUEToken(kind: .op(String(UnicodeScalar(byte))), position: start)
        }
        throw error("illegal character \(Self.describe(byte))", at: start)
    }

    private func matches(_ text: String) -> Bool {
        var index = offset
        for byte in text.utf8 {
            guard index < source.count, source[index] == byte else { return false }
            index += 1
        }
        return true
    }

    private static func describe(_ byte: UInt8) -> String {
        byte < 0x80 ? "'\(Character(UnicodeScalar(byte)))'" : "U+\(String(byte, radix: 16))"
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte >= 0x80
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func scanAttribute(_ start: CUEPosition) throws(CUESyntaxError) -> CUEToken {
        let begin = offset
        offset += 1
        while offset < source.count, Self.isLetter(source[offset]) || Self.isDigit(source[offset])
            || source[offset] == UInt8(ascii: "_") { offset += 1 }
        guard peek() == UInt8(ascii: "(") else { throw error("invalid attribute: expected '('", at: start) }
        var depth = 0
        while offset < source.count {
            let byte = source[offset]
            if byte == UInt8(ascii: "\n") { throw error("attribute not terminated", at: start) }
            offset += 1
            if byte == UInt8(ascii: "(") { depth += 1 }
            if byte == UInt8(ascii: ")") { depth -= 1; if depth == 0 { break } }
        }
        guard depth == 0 else { throw error("attribute not terminated", at: start) }
        return CUEToken(kind: .attribute(String(decoding: source[begin..<offset], as: UTF8.self)), position: start)
    }

    // MARK: Numbers

    private mutating func scanNumber(_ start: CUEPosition) throws(CUESyntaxError) -> CUEToken {
        if peek() == UInt8(ascii: "0"), let radix = [UInt8(ascii: "x"): 16, UInt8(ascii: "X"): 16, UInt8(ascii: "o"): 8,
                                                     UInt8(ascii: "b"): 2, UInt8(ascii: "B"): 2][peek(1)] {
            offset += 2
            let begin = offset
            while offset < source.count, Self.isDigit(source[offset]) || Self.isLetter(source[offset])
                || source[offset] == UInt8(ascii: "_") { offset += 1 }
            let digits = String(decoding: source[begin..<offset], as: UTF8.self).replacingOccurrences("_", "")
            guard !digits.isEmpty, let value = Int(digits, radix: radix) else {
                throw error("invalid or too large integer literal", at: start)
            }
            return CUEToken(kind: .int(value), position: start)
        }
        let begin = offset
        var isFloat = false
        func digits(_ lexer: inout CUELexer) {
            while lexer.offset < lexer.source.count,
                  Self.isDigit(lexer.source[lexer.offset]) || lexer.source[lexer.offset] == UInt8(ascii: "_") {
                lexer.offset += 1
            }
        }
        digits(&self)
        if peek() == UInt8(ascii: "."), Self.isDigit(peek(1)) || !(peek(1) == UInt8(ascii: ".")) && !Self.isLetter(peek(1)) {
            isFloat = true
            offset += 1
            digits(&self)
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isFloat = true
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            digits(&self)
        }
        let text = String(decoding: source[begin..<offset], as: UTF8.self).replacingOccurrences("_", "")
        // A multiplier: K M G T P, with `i` for powers of 1024.
        let multipliers: [UInt8: Int] = [UInt8(ascii: "K"): 1, UInt8(ascii: "M"): 2, UInt8(ascii: "G"): 3,
                                         UInt8(ascii: "T"): 4, UInt8(ascii: "P"): 5]
        if let power = multipliers[peek()] {
            offset += 1
            var base = 1000.0
            if peek() == UInt8(ascii: "i") { base = 1024; offset += 1 }
            guard let number = Double(text) else { throw error("invalid number literal", at: start) }
            let value = number * integerPower(base, power)
            guard value == value.rounded(), abs(value) < 9.2e18 else {
                throw error("number literal with multiplier is not an integer or too large", at: start)
            }
            return CUEToken(kind: .int(Int(value)), position: start)
        }
        if isFloat {
            guard let value = Double(text) else { throw error("invalid float literal", at: start) }
            return CUEToken(kind: .float(value), position: start)
        }
        if text.count > 1 && text.hasPrefix("0") {
            // Legacy octal (0777) is not CUE; treat leading zeros as an error like cue does.
            throw error("illegal integer number \(text)", at: start)
        }
        guard let value = Int(text) else { throw error("integer literal \(text) is too large", at: start) }
        return CUEToken(kind: .int(value), position: start)
    }

    // MARK: Strings

    private mutating func scanString(_ start: CUEPosition, hashes: Int) throws(CUESyntaxError) -> CUEToken {
        let quote = source[offset]
        let isBytes = quote == UInt8(ascii: "'")
        let multiline = peek(1) == quote && peek(2) == quote
        offset += multiline ? 3 : 1
        if multiline {
            // The opening quotes must end their line.
            while peek() == UInt8(ascii: " ") || peek() == UInt8(ascii: "\t") || peek() == UInt8(ascii: "\r") { offset += 1 }
            guard peek() == UInt8(ascii: "\n") else {
                throw error("expected newline after multiline quote", at: position)
            }
            offset += 1
            newline()
        }
        var parts: [RawPart] = []
        var text: [UInt8] = []
        while true {
            guard offset < source.count else { throw error("string literal not terminated", at: start) }
            let byte = source[offset]
            // Closing delimiter?
            if byte == quote, !multiline || (peek(1) == quote && peek(2) == quote) {
                let length = multiline ? 3 : 1
                var ok = true
                for index in 0..<hashes where peek(length + index) != UInt8(ascii: "#") { ok = false }
                if ok {
                    offset += length + hashes
                    break
                }
            }
            if byte == UInt8(ascii: "\n") {
                guard multiline else { throw error("string literal not terminated", at: start) }
                text.append(byte)
                offset += 1
                newline()
                continue
            }
            if byte == UInt8(ascii: "\\") {
                var ok = true
                for index in 0..<hashes where peek(1 + index) != UInt8(ascii: "#") { ok = false }
                if ok {
                    offset += 1 + hashes
                    if peek() == UInt8(ascii: "(") {
                        parts.append(.text(text))
                        text = []
                        let exprStart = offset + 1
                        let exprPosition = position(at: exprStart)
                        try skipInterpolation(start)
                        parts.append(.interpolation(Array(source[exprStart..<(offset - 1)]), exprPosition))
                        continue
                    }
                    // Keep the escape (normalised to a plain backslash) for decoding below.
                    text.append(UInt8(ascii: "\\"))
                    guard offset < source.count else { throw error("string literal not terminated", at: start) }
                    text.append(source[offset])
                    offset += 1
                    continue
                }
            }
            // In a raw string a backslash without the hashes is literal: keep it escaped.
            if byte == UInt8(ascii: "\\") { text.append(byte) }
            text.append(byte)
            offset += 1
        }
        parts.append(.text(text))
        if multiline { try stripIndentation(&parts, start) }
        var result: [CUEStringPart] = []
        for part in parts {
            switch part {
            case .text(let raw): result.append(.text(try unescape(raw, start, bytes: isBytes)))
            case .interpolation(let source, let position): result.append(.interpolation(source: source, position: position))
            }
        }
        return CUEToken(kind: .string(result, bytes: isBytes), position: start)
    }

    private enum RawPart {
        case text([UInt8])
        case interpolation([UInt8], CUEPosition)
    }

    /// Skips `(...)` of an interpolation, balancing parentheses and stepping over nested strings.
    private mutating func skipInterpolation(_ start: CUEPosition) throws(CUESyntaxError) {
        var depth = 0
        while offset < source.count {
            let byte = source[offset]
            if byte == UInt8(ascii: "\n") { newline() }
            if byte == UInt8(ascii: "\"") {
                offset += 1
                while offset < source.count, source[offset] != UInt8(ascii: "\"") {
                    if source[offset] == UInt8(ascii: "\\") { offset += 1 }
                    offset += 1
                }
                offset += 1
                continue
            }
            offset += 1
            if byte == UInt8(ascii: "(") { depth += 1 }
            if byte == UInt8(ascii: ")") { depth -= 1; if depth == 0 { return } }
        }
        throw error("interpolation not terminated", at: start)
    }

    /// Removes the closing line's indentation from every line of a multi-line string, and the
    /// final newline.
    private func stripIndentation(_ parts: inout [RawPart], _ start: CUEPosition) throws(CUESyntaxError) {
        guard case .text(var last) = parts.last else { return }
        var indent: [UInt8] = []
        while let byte = last.last, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
            indent.insert(byte, at: 0)
            last.removeLast()
        }
        if last.last == UInt8(ascii: "\n") {
            last.removeLast()
            if last.last == UInt8(ascii: "\r") { last.removeLast() }
        } else if !(parts.count == 1 && last.isEmpty) {
            throw error("closing quote of multiline string must be on its own line", at: start)
        }
        parts[parts.count - 1] = .text(last)
        var atLineStart = true
        for index in parts.indices {
            guard case .text(let raw) = parts[index] else { atLineStart = false; continue }
            var output: [UInt8] = []
            var position = 0
            while position < raw.count {
                if atLineStart {
                    if raw.count - position >= indent.count, Array(raw[position..<(position + indent.count)]) == indent {
                        position += indent.count
                    } else if raw[position] != UInt8(ascii: "\n") && raw[position] != UInt8(ascii: "\r") {
                        throw error("invalid whitespace in multiline string: lines must start with the closing quote's indentation", at: start)
                    }
                    atLineStart = false
                    continue
                }
                let byte = raw[position]
                output.append(byte)
                position += 1
                if byte == UInt8(ascii: "\n") { atLineStart = true }
            }
            parts[index] = .text(output)
        }
    }

    private func unescape(_ raw: [UInt8], _ start: CUEPosition, bytes: Bool) throws(CUESyntaxError) -> String {
        guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
        var output: [UInt8] = []
        var index = 0
        func hex(_ count: Int) throws(CUESyntaxError) -> UInt32 {
            guard index + count <= raw.count else { throw error("invalid escape sequence", at: start) }
            let text = String(decoding: raw[index..<(index + count)], as: UTF8.self)
            guard let value = UInt32(text, radix: 16) else { throw error("invalid escape sequence", at: start) }
            index += count
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            index += 1
            guard byte == UInt8(ascii: "\\"), index < raw.count else { output.append(byte); continue }
            let escape = raw[index]
            index += 1
            switch escape {
            case UInt8(ascii: "n"): output.append(10)
            case UInt8(ascii: "t"): output.append(9)
            case UInt8(ascii: "r"): output.append(13)
            case UInt8(ascii: "a"): output.append(7)
            case UInt8(ascii: "b"): output.append(8)
            case UInt8(ascii: "f"): output.append(12)
            case UInt8(ascii: "v"): output.append(11)
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "/"): output.append(escape)
            case UInt8(ascii: "\n"): break  // a line continuation in a multi-line string
            case UInt8(ascii: "x") where bytes: output.append(UInt8(try hex(2)))
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let value = try hex(escape == UInt8(ascii: "u") ? 4 : 8)
                guard let scalar = Unicode.Scalar(value) else { throw error("invalid Unicode code point in escape", at: start) }
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                if bytes, Self.isDigit(escape), index + 1 < raw.count {
                    let text = String(decoding: raw[(index - 1)...(index + 1)], as: UTF8.self)
                    guard let value = UInt8(text, radix: 8) else { throw error("invalid escape sequence", at: start) }
                    index += 2
                    output.append(value)
                } else {
                    throw error("unknown escape sequence \\\(Character(UnicodeScalar(escape)))", at: start)
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

extension String {
    func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}

/// `base` raised to a small non-negative integer `power`.
func integerPower(_ base: Double, _ power: Int) -> Double {
    var result = 1.0
    for _ in 0..<power { result *= base }
    return result
}
