import TandemJSON
import TandemModel

/// Writes JSON values as block-style YAML that every YAML 1.1 and 1.2 reader (kubectl's
/// included) reads back as the same values: strings that could be read as anything else are
/// double-quoted.
public enum YAMLWriter {
    /// Documents separated by `---` lines.
    public static func documents(_ values: [JSONValue]) -> String {
        var output = ""
        output.reserveCapacity(values.count * 1024)
        for value in values {
            output += "---\n"
            write(value, indent: 0, into: &output)
        }
        return output
    }

    public static func document(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: 0, into: &output)
        return output
    }

    /// Writes a value that starts a new line at `indent`.
    private static func write(_ value: JSONValue, indent: Int, into output: inout String) {
        switch value {
        case .object(let object) where !object.isEmpty:
            for member in object {
                appendIndent(indent, into: &output)
                appendScalar(member.key, into: &output)
                output.append(":")
                writeValue(member.value, indent: indent, into: &output)
            }
        case .array(let items) where !items.isEmpty:
            for item in items {
                appendIndent(indent, into: &output)
                output.append("-")
                writeItem(item, indent: indent + 2, into: &output)
            }
        default:
            appendInline(value, into: &output)
            output.append("\n")
        }
    }

    /// Writes the value of a mapping member after its `key:`.
    private static func writeValue(_ value: JSONValue, indent: Int, into output: inout String) {
        switch value {
        case .object(let object) where !object.isEmpty:
            output.append("\n")
            write(value, indent: indent + 2, into: &output)
        case .array(let items) where !items.isEmpty:
            output.append("\n")
            write(value, indent: indent + 2, into: &output)
        default:
            output.append(" ")
            appendInline(value, into: &output)
            output.append("\n")
        }
    }

    /// Writes a list item after its `-`: a mapping starts on the dash's line.
    private static func writeItem(_ value: JSONValue, indent: Int, into output: inout String) {
        switch value {
        case .object(let object) where !object.isEmpty:
            var first = true
            for member in object {
                if first {
                    output.append(" ")
                    first = false
                } else {
                    appendIndent(indent, into: &output)
                }
                appendScalar(member.key, into: &output)
                output.append(":")
                writeValue(member.value, indent: indent, into: &output)
            }
        case .array(let items) where !items.isEmpty:
            output.append("\n")
            write(value, indent: indent, into: &output)
        default:
            output.append(" ")
            appendInline(value, into: &output)
            output.append("\n")
        }
    }

    private static let indents = (0..<128).map { String(repeating: " ", count: $0) }

    private static func appendIndent(_ width: Int, into output: inout String) {
        output.append(width < indents.count ? indents[width] : String(repeating: " ", count: width))
    }

    private static func appendInline(_ value: JSONValue, into output: inout String) {
        switch value {
        case .null: output.append("null")
        case .bool(let flag): output.append(flag ? "true" : "false")
        case .int(let number): output.append(String(number))
        case .double(let number): output.append(JSONWriter.format(number))
        case .string(let text): appendScalar(text, into: &output)
        case .array: output.append("[]")
        case .object: output.append("{}")
        }
    }

    private static func appendScalar(_ text: String, into output: inout String) {
        if needsQuotes(text) {
            JSONWriter.appendQuoted(text, into: &output)
        } else {
            output.append(text)
        }
    }

    /// Whether a plain scalar would be misread: as another type (by YAML 1.1 or 1.2 rules), as
    /// YAML syntax, or with its whitespace or special characters changed.
    static func needsQuotes(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last else { return true }
        if first == UInt8(ascii: " ") || last == UInt8(ascii: " ") || last == UInt8(ascii: ":") { return true }
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            // Plain only when followed by a character that cannot make it an indicator.
            if bytes.count == 1 { return true }
            let second = bytes[bytes.index(after: bytes.startIndex)]
            if second == UInt8(ascii: " ") { return true }
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
        return looksLikeNonString(text)
    }

    /// Words and numbers that some YAML reader takes for a null, boolean, number or timestamp.
    private static func looksLikeNonString(_ text: String) -> Bool {
        let bytes = text.utf8
        if bytes.count <= 5 {
            switch text.lowercased() {
            case "null", "true", "false", "yes", "no", "on", "off", "y", "n", "<<",
                 ".inf", "-.inf", "+.inf", ".nan":
                return true
            default:
                break
            }
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
