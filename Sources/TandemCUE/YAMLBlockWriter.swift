import TandemJSON

/// A block-style YAML writer for `yaml.Marshal`: mappings and sequences in block style, strings
/// quoted when YAML would read them as something else.
enum YAMLBlockWriter {
    static func write(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: 0, into: &output, inline: false)
        return output
    }

    private static func write(_ value: JSONValue, indent: Int, into output: inout String, inline: Bool) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let object) where !object.isEmpty:
            var first = true
            for member in object {
                if !(inline && first) { output += pad }
                first = false
                output += scalar(.string(member.key)) + ":"
                writeChild(member.value, indent: indent, into: &output)
            }
        case .array(let items) where !items.isEmpty:
            var first = true
            for item in items {
                if !(inline && first) { output += pad }
                first = false
                output += "-"
                switch item {
                case .object(let object) where !object.isEmpty:
                    output += " "
                    write(item, indent: indent + 2, into: &output, inline: true)
                default:
                    writeChild(item, indent: indent, into: &output)
                }
            }
        default:
            output += scalar(value) + "\n"
        }
    }

    private static func writeChild(_ value: JSONValue, indent: Int, into output: inout String) {
        switch value {
        case .object(let object) where !object.isEmpty:
            output += "\n"
            write(value, indent: indent + 2, into: &output, inline: false)
        case .array(let items) where !items.isEmpty:
            output += "\n"
            write(value, indent: indent, into: &output, inline: false)
        default:
            output += " " + scalar(value) + "\n"
        }
    }

    private static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .string(let text):
            let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value >= 0x41 && $0.value <= 0x5A) || ($0.value >= 0x61 && $0.value <= 0x7A) || "-_./".unicodeScalars.contains($0) }
                && !["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"].contains(text.lowercased())
                && Double(text) == nil && !text.hasPrefix("-") && !text.hasPrefix(".")
            return plain ? text : JSONWriter.compact(value)
        case .object: return "{}"
        case .array: return "[]"
        default: return JSONWriter.compact(value)
        }
    }
}
