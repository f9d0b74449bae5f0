/// Writes JSON values as JSON text, keys in their stored order.
public enum JSONWriter {
    /// Indented JSON with a final newline, for people.
    public static func write(_ value: JSONValue, indentWidth: Int = 4) -> String {
        var output = ""
        write(value, depth: 0, indentWidth: indentWidth, into: &output)
        output.append("\n")
        return output
    }

    /// A value as it appears at `depth` inside an indented document written by `write`: its
    /// first line indented, no final newline, so that pieces written apart can be joined.
    public static func fragment(_ value: JSONValue, depth: Int, indentWidth: Int = 4) -> String {
        var output = String(repeating: " ", count: depth * indentWidth)
        write(value, depth: depth, indentWidth: indentWidth, into: &output)
        return output
    }

    /// JSON on one line, for programs (request bodies, logs).
    public static func compact(_ value: JSONValue) -> String {
        String(decoding: compactBytes(value), as: UTF8.self)
    }

    /// `compact` as UTF-8 bytes, for request bodies, watch lines and digests: bytes are what they
    /// need, and appending bytes costs a fraction of appending to a String.
    public static func compactBytes(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        writeCompact(value, into: &output)
        return output
    }

    private static func writeCompact(_ value: JSONValue, into output: inout [UInt8]) {
        switch value {
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeCompact(item, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (index, member) in object.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                appendQuotedQuickly(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                writeCompact(member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .string(let text):
            appendQuotedQuickly(text, into: &output)
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): output.append(contentsOf: String(number).utf8)
        case .double(let number): output.append(contentsOf: format(number).utf8)
        }
    }

    /// Text with nothing to escape (nearly all of it) is copied whole; the rest goes through `appendQuoted`.
    private static func appendQuotedQuickly(_ text: String, into output: inout [UInt8]) {
        var text = text
        let copied = text.withUTF8 { bytes -> Bool in
            for byte in bytes where byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                return false
            }
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: bytes)
            output.append(UInt8(ascii: "\""))
            return true
        }
        if !copied { appendQuoted(text, into: &output) }
    }

    private static func write(_ value: JSONValue, depth: Int, indentWidth: Int, into output: inout String) {
        let inner = String(repeating: " ", count: (depth + 1) * indentWidth)
        let outer = String(repeating: " ", count: depth * indentWidth)
        switch value {
        case .array(let items):
            guard !items.isEmpty else { return output.append("[]") }
            output.append("[\n")
            for (index, item) in items.enumerated() {
                output.append(inner)
                write(item, depth: depth + 1, indentWidth: indentWidth, into: &output)
                output.append(index == items.count - 1 ? "\n" : ",\n")
            }
            output.append(outer + "]")
        case .object(let object):
            guard !object.isEmpty else { return output.append("{}") }
            output.append("{\n")
            for (index, member) in object.enumerated() {
                output.append(inner)
                appendQuoted(member.key, into: &output)
                output.append(": ")
                write(member.value, depth: depth + 1, indentWidth: indentWidth, into: &output)
                output.append(index == object.count - 1 ? "\n" : ",\n")
            }
            output.append(outer + "}")
        default:
            appendScalar(value, into: &output)
        }
    }

    private static func appendScalar(_ value: JSONValue, into output: inout String) {
        switch value {
        case .null: output.append("null")
        case .bool(let flag): output.append(flag ? "true" : "false")
        case .int(let number): output.append(String(number))
        case .double(let number): output.append(format(number))
        case .string(let text): appendQuoted(text, into: &output)
        case .array, .object: break
        }
    }

    /// A finite double, written so that it reads back as a float (`1.0`, not `1`); JSON has no
    /// infinities or NaN, so those are written as null.
    public static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        let text = "\(number)"
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }

    /// A double-quoted string with JSON escapes, which YAML double-quoted scalars share. Every
    /// character that YAML 1.1 or 1.2 does not allow raw (C0 and C1 controls, DEL, U+FFFE and
    /// U+FFFF), and those a reader could take for a line break or a byte-order mark, is escaped,
    /// so the text reads back the same in JSON, YAML 1.1 (kubectl, PyYAML) and YAML 1.2.
    public static func appendQuoted(_ text: String, into output: inout String) {
        output.append("\"")
        var plainStart = text.utf8.startIndex
        var index = plainStart
        let utf8 = text.utf8
        // Runs of safe ASCII are copied whole; everything else goes scalar by scalar.
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                index = utf8.index(after: index)
                continue
            }
            output.append(contentsOf: text[plainStart..<index])
            if byte < 0x80 {
                appendEscaped(Unicode.Scalar(byte), into: &output)
                index = utf8.index(after: index)
            } else {
                // A lead byte: `index` is on a scalar boundary, as every step moves by whole scalars.
                appendEscaped(text.unicodeScalars[index], into: &output)
                index = text.unicodeScalars.index(after: index)
            }
            plainStart = index
        }
        output.append(contentsOf: text[plainStart..<index])
        output.append("\"")
    }

    /// `appendQuoted`, into bytes.
    public static func appendQuoted(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value >= 0x20, value < 0x7F {
                if value == 0x22 || value == 0x5C { output.append(UInt8(ascii: "\\")) }
                output.append(UInt8(value))
                continue
            }
            switch scalar {
            case "\n": output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case "\r": output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case "\t": output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case _ where needsEscape(value):
                let hex = String(value, radix: 16, uppercase: true)
                output.append(contentsOf: "\\u".utf8)
                output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 4 - hex.utf8.count))
                output.append(contentsOf: hex.utf8)
            default:
                UTF8.encode(scalar) { output.append($0) }
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ scalar: Unicode.Scalar, into output: inout String) {
        switch scalar {
        case "\"": output.append("\\\"")
        case "\\": output.append("\\\\")
        case "\n": output.append("\\n")
        case "\r": output.append("\\r")
        case "\t": output.append("\\t")
        case _ where needsEscape(scalar.value):
            let hex = String(scalar.value, radix: 16, uppercase: true)
            output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
        default:
            output.unicodeScalars.append(scalar)
        }
    }

    /// Characters written as `\uXXXX`: not printable in YAML, or read as a line break or BOM.
    public static func needsEscape(_ value: UInt32) -> Bool {
        switch value {
        case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF: return true
        default: return false
        }
    }
}
