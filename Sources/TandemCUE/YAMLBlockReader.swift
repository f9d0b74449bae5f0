import TandemJSON

/// Reads the YAML configuration files are written in, for `yaml.Unmarshal`: block mappings and
/// sequences, plain, quoted and block (`|`, `>`) scalars, comments, and JSON-style flow
/// collections. Anchors, aliases, tags and multi-line plain scalars are not supported.
struct YAMLBlockReader {
    struct Failure: Error {
        var message: String
    }

    private struct Line {
        var number: Int
        var indent: Int
        var text: Substring  // without indentation; comments removed unless in a block scalar
        var raw: Substring
    }

    private var lines: [Line] = []
    private var index = 0
    private let maxDepth: Int

    init(_ text: String, maxDepth: Int) {
        self.maxDepth = maxDepth
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmedRaw = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let indent = trimmedRaw.prefix { $0 == " " }.count
            let body = Self.stripComment(trimmedRaw.dropFirst(indent))
            if indent == 0, body == "---" || body == "..." { continue }  // document markers
            lines.append(Line(number: offset + 1, indent: indent, text: body, raw: trimmedRaw))
        }
    }

    /// A `#` starts a comment at the line start or after a space, outside quotes.
    private static func stripComment(_ text: Substring) -> Substring {
        var quote: Character?
        var previous: Character = " "
        for position in text.indices {
            let character = text[position]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                if previous == " " || previous == ":" || previous == "-" || previous == "[" || previous == "{" || previous == "," { quote = character }
            } else if character == "#", previous == " " || previous == "\t" {
                return text[..<position].trimmingTrailingSpaces()
            }
            previous = character
        }
        return text.trimmingTrailingSpaces()
    }

    mutating func read() throws(Failure) -> JSONValue {
        skipBlank()
        guard index < lines.count else { return .null }
        let value = try node(indent: lines[index].indent, depth: 0)
        skipBlank()
        if index < lines.count { throw Failure(message: "line \(lines[index].number): unexpected content") }
        return value
    }

    private mutating func skipBlank() {
        while index < lines.count, lines[index].text.isEmpty { index += 1 }
    }

    private mutating func node(indent: Int, depth: Int) throws(Failure) -> JSONValue {
        guard depth < maxDepth else { throw Failure(message: "nesting too deep") }
        skipBlank()
        guard index < lines.count else { return .null }
        let line = lines[index]
        if line.text == "-" || line.text.hasPrefix("- ") { return try sequence(indent: line.indent, depth: depth) }
        if Self.keySplit(line.text) != nil { return try mapping(indent: line.indent, depth: depth) }
        index += 1
        return try scalar(line.text, line: line.number)
    }

    private mutating func sequence(indent: Int, depth: Int) throws(Failure) -> JSONValue {
        var items: [JSONValue] = []
        while true {
            skipBlank()
            guard index < lines.count, lines[index].indent == indent,
                  lines[index].text == "-" || lines[index].text.hasPrefix("- ") else { break }
            let line = lines[index]
            let rest = line.text.dropFirst(1).drop { $0 == " " }
            if rest.isEmpty {
                index += 1
                skipBlank()
                if index < lines.count, lines[index].indent > indent {
                    items.append(try node(indent: lines[index].indent, depth: depth + 1))
                } else {
                    items.append(.null)
                }
            } else {
                // `- key: value` or `- - x` starts a nested node at the column after "- ".
                let column = indent + (line.text.count - rest.count)
                lines[index] = Line(number: line.number, indent: column, text: rest, raw: line.raw)
                items.append(try node(indent: column, depth: depth + 1))
            }
        }
        return .array(items)
    }

    private mutating func mapping(indent: Int, depth: Int) throws(Failure) -> JSONValue {
        var object = JSONObject()
        while true {
            skipBlank()
            guard index < lines.count, lines[index].indent == indent else { break }
            let line = lines[index]
            guard let (key, rest) = Self.keySplit(line.text) else {
                throw Failure(message: "line \(line.number): expected a mapping key")
            }
            let name: String
            if key.hasPrefix("\"") || key.hasPrefix("'") {
                guard case .string(let text) = try scalar(key, line: line.number) else { throw Failure(message: "line \(line.number): invalid key") }
                name = text
            } else {
                name = String(key)
            }
            if object[name] != nil { throw Failure(message: "line \(line.number): duplicate key \(name)") }
            index += 1
            if rest.isEmpty {
                skipBlank()
                if index < lines.count, lines[index].indent > indent
                    || (lines[index].indent == indent && (lines[index].text == "-" || lines[index].text.hasPrefix("- "))) {
                    object[name] = try node(indent: lines[index].indent, depth: depth + 1)
                } else {
                    object[name] = .null
                }
            } else if rest == "|" || rest == ">" || rest.hasPrefix("|") || rest.hasPrefix(">") {
                object[name] = .string(blockScalar(rest, parentIndent: indent))
            } else {
                object[name] = try scalar(rest, line: line.number)
            }
        }
        return .object(object)
    }

    /// `key: value` → (key, value); the colon must be followed by a space or end the line.
    private static func keySplit(_ text: Substring) -> (Substring, Substring)? {
        var quote: Character?
        for position in text.indices {
            let character = text[position]
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            if position == text.startIndex, character == "\"" || character == "'" { quote = character; continue }
            if character == "{" || character == "[" , position == text.startIndex { return nil }
            if character == ":" {
                let after = text.index(after: position)
                if after == text.endIndex || text[after] == " " {
                    let key = text[..<position].trimmingTrailingSpaces()
                    return key.isEmpty ? nil : (key, text[after...].drop { $0 == " " })
                }
            }
        }
        return nil
    }

    /// The lines of a `|` or `>` scalar: those indented deeper than its key.
    private mutating func blockScalar(_ header: Substring, parentIndent: Int) -> String {
        let folded = header.hasPrefix(">")
        let chomp = header.dropFirst().first
        var collected: [Substring] = []
        var blockIndent: Int?
        while index < lines.count {
            let line = lines[index]
            let isBlank = line.raw.allSatisfy { $0 == " " }
            if !isBlank && line.indent <= parentIndent { break }
            if !isBlank && blockIndent == nil { blockIndent = line.indent }
            collected.append(isBlank ? "" : line.raw.dropFirst(min(blockIndent ?? line.indent, line.indent)))
            index += 1
        }
        while let last = collected.last, last.isEmpty, chomp != "+" { collected.removeLast() }
        var text = folded ? collected.joined(separator: " ") : collected.joined(separator: "\n")
        if chomp != "-" && !collected.isEmpty { text += "\n" }
        return text
    }

    private func scalar(_ text: Substring, line: Int) throws(Failure) -> JSONValue {
        if text.hasPrefix("\"") || text.hasPrefix("{") || text.hasPrefix("[") {
            do {
                return try JSONReader(maxDepth: maxDepth).read(String(text))
            } catch {
                throw Failure(message: "line \(line): only JSON-style quoted strings and flow collections are supported")
            }
        }
        if text.hasPrefix("'") {
            guard text.count >= 2, text.hasSuffix("'") else { throw Failure(message: "line \(line): unterminated quoted string") }
            return .string(Self.unquoteSingle(text.dropFirst().dropLast()))
        }
        switch text {
        case "null", "Null", "NULL", "~", "": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let number = Int(text) { return .int(number) }
        if text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true, let number = Double(text),
           number.isFinite { return .double(number) }
        return .string(String(text))
    }

    private static func unquoteSingle(_ text: Substring) -> String {
        var result = ""
        var previousQuote = false
        for character in text {
            if character == "'" && !previousQuote { previousQuote = true; continue }
            previousQuote = false
            result.append(character)
        }
        return result
    }
}

extension Substring {
    func trimmingTrailingSpaces() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " || self[index(before: end)] == "\t" { end = index(before: end) }
        return self[..<end]
    }
}
