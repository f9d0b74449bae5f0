import TandemJSON
import TandemModel

/// Writes JSON values as block-style YAML that every YAML 1.1 and 1.2 reader (kubectl's
/// included) reads back as the same values: strings that could be read as anything else are
/// double-quoted.
public enum YAMLWriter {
    /// Documents separated by `---` lines.
    public static func documents(_ values: [JSONValue]) -> String {
        String(decoding: documentBytes(values), as: UTF8.self)
    }

    /// Documents separated by `---` lines, as UTF-8.
    public static func documentBytes(_ values: [JSONValue]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(values.count * 1024)
        for value in values {
            output.append(contentsOf: "---\n".utf8)
            write(value, indent: 0, into: &output)
        }
        return output
    }

    public static func document(_ value: JSONValue) -> String {
        var output: [UInt8] = []
        write(value, indent: 0, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static let newline = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")
    private static let colon = UInt8(ascii: ":")

    /// Writes a value that starts a new line at `indent`.
    private static func write(_ value: JSONValue, indent: Int, into output: inout [UInt8]) {
        switch value {
        case .object(let object) where !object.isEmpty:
            for member in object {
                appendIndent(indent, into: &output)
                appendScalar(member.key, into: &output)
                output.append(colon)
                writeValue(member.value, indent: indent, into: &output)
            }
        case .array(let items) where !items.isEmpty:
            for item in items {
                appendIndent(indent, into: &output)
                output.append(UInt8(ascii: "-"))
                writeItem(item, indent: indent + 2, into: &output)
            }
        default:
            appendInline(value, into: &output)
            output.append(newline)
        }
    }

    /// Writes the value of a mapping member after its `key:`.
    private static func writeValue(_ value: JSONValue, indent: Int, into output: inout [UInt8]) {
        if case .string(let text) = value, appendBlock(text, indent: indent + 2, into: &output) { return }
        switch value {
        case .object(let object) where !object.isEmpty:
            output.append(newline)
            write(value, indent: indent + 2, into: &output)
        case .array(let items) where !items.isEmpty:
            output.append(newline)
            write(value, indent: indent + 2, into: &output)
        default:
            output.append(space)
            appendInline(value, into: &output)
            output.append(newline)
        }
    }

    /// Writes a list item after its `-`: a mapping starts on the dash's line.
    private static func writeItem(_ value: JSONValue, indent: Int, into output: inout [UInt8]) {
        if case .string(let text) = value, appendBlock(text, indent: indent, into: &output) { return }
        switch value {
        case .object(let object) where !object.isEmpty:
            var first = true
            for member in object {
                if first {
                    output.append(space)
                    first = false
                } else {
                    appendIndent(indent, into: &output)
                }
                appendScalar(member.key, into: &output)
                output.append(colon)
                writeValue(member.value, indent: indent, into: &output)
            }
        case .array(let items) where !items.isEmpty:
            output.append(newline)
            write(value, indent: indent, into: &output)
        default:
            output.append(space)
            appendInline(value, into: &output)
            output.append(newline)
        }
    }

    /// Writes a multi-line string as a literal block (`|`), its lines as they are, indented by
    /// `indent`, and returns true; false, writing nothing, when the text does not suit one (no
    /// line break, or anything a block cannot hold exactly: escapes, a carriage return, a leading
    /// space, trailing spaces).
    private static func appendBlock(_ text: String, indent: Int, into output: inout [UInt8]) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "\n")), bytes.first != UInt8(ascii: " "), bytes.first != UInt8(ascii: "\n") else { return false }
        var trailingBreaks = 0
        for byte in bytes.reversed() {
            guard byte == UInt8(ascii: "\n") else { break }
            trailingBreaks += 1
        }
        let body = bytes.dropLast(trailingBreaks)
        let lines = body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for line in lines {
            if let last = line.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { return false }
            if line.first == UInt8(ascii: "\t") { return false }  // a tab where indentation is read
        }
        for scalar in text.unicodeScalars where scalar != "\n" && scalar != "\t" && (scalar == "\r" || JSONWriter.needsEscape(scalar.value)) {
            return false
        }
        output.append(contentsOf: " |".utf8)
        switch trailingBreaks {
        case 0: output.append(UInt8(ascii: "-"))
        case 1: break
        default: output.append(UInt8(ascii: "+"))
        }
        output.append(newline)
        for line in lines {
            if !line.isEmpty {
                appendIndent(indent, into: &output)
                output.append(contentsOf: line)
            }
            output.append(newline)
        }
        for _ in 1..<max(trailingBreaks, 1) { output.append(newline) }
        return true
    }

    private static let indents: [[UInt8]] = (0..<64).map { Array(repeating: UInt8(ascii: " "), count: $0) }

    private static func appendIndent(_ width: Int, into output: inout [UInt8]) {
        if width < indents.count {
            output.append(contentsOf: indents[width])
        } else {
            output.append(contentsOf: repeatElement(space, count: width))
        }
    }

    private static func appendInline(_ value: JSONValue, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): output.append(contentsOf: String(number).utf8)
        case .double(let number): output.append(contentsOf: JSONWriter.format(number).utf8)
        case .string(let text): appendScalar(text, into: &output)
        case .array: output.append(contentsOf: "[]".utf8)
        case .object: output.append(contentsOf: "{}".utf8)
        }
    }

    private static func appendScalar(_ text: String, into output: inout [UInt8]) {
        if needsQuotes(text) {
            JSONWriter.appendQuoted(text, into: &output)
        } else {
            output.append(contentsOf: text.utf8)
        }
    }

    /// Whether a plain scalar would be misread: as another type (by YAML 1.1 or 1.2 rules), as
    /// YAML syntax, or with its whitespace or special characters changed.
    static func needsQuotes(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(needsQuotes)
    }

    static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return true }
        // Most keys and values are words (`name`, `my-app`, `v1.2.3`): a letter, then letters,
        // digits and `-_./`. Those need quotes only when YAML 1.1 takes them for a boolean or null.
        if isLetter(first) {
            var word = true
            for byte in bytes where !isWordByte(byte) {
                word = false
                break
            }
            if word { return bytes.count <= 5 && isYAML11Word(bytes) }
        }
        if first == UInt8(ascii: " ") || last == UInt8(ascii: " ") || last == UInt8(ascii: ":") { return true }
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            // Plain only when followed by a character that cannot make it an indicator.
            if bytes.count == 1 { return true }
            if bytes[1] == UInt8(ascii: " ") { return true }
        case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
             UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
             UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
             UInt8(ascii: "`"), UInt8(ascii: "="), UInt8(ascii: "~"):
            return true
        default:
            break
        }
        var previous: UInt8 = 0
        for byte in bytes {
            if byte < 0x20 || byte == 0x7F { return true }  // control characters and line breaks
            if byte >= 0x80 { return true }  // keep non-ASCII text exact, whatever the reader's encoding rules
            if byte == UInt8(ascii: "#"), previous == UInt8(ascii: " ") { return true }
            if previous == UInt8(ascii: ":"), byte == UInt8(ascii: " ") { return true }
            previous = byte
        }
        return looksLikeNonString(bytes)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
    }

    /// Words that YAML 1.1 (kubectl's reader) takes for a boolean or null, in any case.
    private static let yaml11Words: [[UInt8]] = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"].map { Array($0.utf8) }

    private static func isYAML11Word(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        yaml11Words.contains { word in
            word.count == bytes.count && zip(word, bytes).allSatisfy { $0 == $1 | 0x20 }
        }
    }

    /// Words and numbers that some YAML reader takes for a null, boolean, number or timestamp.
    private static func looksLikeNonString(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.count <= 5 {
            if isYAML11Word(bytes) { return true }
            let lowered = bytes.map { isLetter($0) ? $0 | 0x20 : $0 }
            for word in ["<<", ".inf", "-.inf", "+.inf", ".nan"] where lowered.elementsEqual(word.utf8) { return true }
        }
        var body = bytes[...]
        if let sign = body.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { body = body.dropFirst() }
        guard let first = body.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: ".") else {
            return false
        }
        // Numbers in every YAML dialect (0x1F, 0o17, 1_000, 1e3, 1:30, 2024-01-02) use only these.
        return body.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
                || [UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "_"),
                    UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "T"),
                    UInt8(ascii: "t"), UInt8(ascii: "Z"), UInt8(ascii: "z"), UInt8(ascii: " ")].contains(byte)
        }
    }
}
