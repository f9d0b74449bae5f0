import TandemJSON

/// Reading JSON text into a value, for `json.Unmarshal`, `yaml.Unmarshal` and `strconv.Unquote`.
enum JSONReaderBridge {
    static func read(_ text: String) throws(JSONReader.Failure) -> JSONValue {
        try JSONReader(maxDepth: 200).read(text)
    }
}

/// `encoding/json`, `encoding/yaml`, `encoding/base64`.
extension Evaluator {
    func jsonFunction(_ function: String, _ values: [Value], at position: CUEPosition) throws(BuiltinFailure) -> Value {
        switch function {
        case "Marshal":
            try arguments(values, 1)
            return try result(JSONWriter.compact(try json(values[0])), at: position)
        case "Unmarshal":
            try arguments(values, 1)
            do {
                return makeVertex(try JSONReaderBridge.read(try string(values[0])), at: position)
            } catch let failure as JSONReader.Failure {
                throw BuiltinFailure(message: "json: invalid JSON: \(failure.description)")
            } catch let failure as BuiltinFailure {
                throw failure
            } catch {
                throw BuiltinFailure(message: "\(error)")
            }
        case "Valid":
            try arguments(values, 1)
            return .scalar(.bool((try? JSONReaderBridge.read(try string(values[0]))) != nil))
        default:
            throw BuiltinFailure(message: "undefined: json.\(function)")
        }
    }

    func yamlFunction(_ function: String, _ values: [Value], at position: CUEPosition) throws(BuiltinFailure) -> Value {
        switch function {
        case "Marshal":
            try arguments(values, 1)
            return try result(YAMLBlockWriter.write(try json(values[0])), at: position)
        case "Unmarshal":
            try arguments(values, 1)
            var reader = YAMLBlockReader(try string(values[0]), maxDepth: limits.maxDepth)
            do {
                return makeVertex(try reader.read(), at: position)
            } catch {
                throw BuiltinFailure(message: "yaml: \(error.message)")
            }
        default:
            throw BuiltinFailure(message: "undefined: yaml.\(function)")
        }
    }

    func base64Function(_ function: String, _ values: [Value], at position: CUEPosition) throws(BuiltinFailure) -> Value {
        try arguments(values, 2)
        if case .scalar(.null) = values[0] {} else { throw BuiltinFailure(message: "base64: unsupported encoding: cannot use value \(values[0].description) (type \(values[0].kinds.name)) as null") }
        switch function {
        case "Encode":
            return try result(Base64Codec.encode(try bytes(values[1])), at: position)
        case "Decode":
            guard let decoded = Base64Codec.decode(try string(values[1])) else {
                throw BuiltinFailure(message: "illegal base64 data")
            }
            return .scalar(.bytes(decoded))
        default:
            throw BuiltinFailure(message: "undefined: base64.\(function)")
        }
    }
}

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
