import TandemModel

/// Writes JSON values as indented JSON, keys in their stored order.
public enum JSONWriter {
    public static func write(_ value: JSONValue, indentWidth: Int = 4) -> String {
        var output = ""
        write(value, depth: 0, indentWidth: indentWidth, into: &output)
        output.append("\n")
        return output
    }

    private static func write(_ value: JSONValue, depth: Int, indentWidth: Int, into output: inout String) {
        let inner = String(repeating: " ", count: (depth + 1) * indentWidth)
        let outer = String(repeating: " ", count: depth * indentWidth)
        switch value {
        case .null: output.append("null")
        case .bool(let flag): output.append(flag ? "true" : "false")
        case .int(let number): output.append(String(number))
        case .double(let number): output.append(format(number))
        case .string(let text): appendQuoted(text, into: &output)
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
        }
    }

    /// A finite double, written so that it reads back as a float (`1.0`, not `1`).
    static func format(_ number: Double) -> String {
        let text = "\(number)"
        return text.contains(".") || text.contains("e") ? text : text + ".0"
    }

    /// A double-quoted string with JSON escapes, which YAML double-quoted scalars share.
    static func appendQuoted(_ text: String, into output: inout String) {
        output.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85
                || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output.append("\"")
    }
}
