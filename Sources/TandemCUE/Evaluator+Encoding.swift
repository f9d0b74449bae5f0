import TandemJSON

/// `encoding/json`, `encoding/yaml`, `encoding/base64`.
extension Evaluator {
    func jsonFunction(_ function: String, _ values: [Value], at position: CUEPosition) throws(BuiltinFailure) -> Value {
        switch function {
        case "Marshal":
            try arguments(values, 1)
            return try result(Self.escapingHTML(JSONWriter.compact(try json(values[0]))), at: position)
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

    /// JSON text with `<`, `>`, `&`, U+2028 and U+2029 escaped, as Go's encoder (and so CUE's
    /// `json.Marshal`) writes them; outside strings JSON has none of these characters.
    static func escapingHTML(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": output += "\\u003c"
            case ">": output += "\\u003e"
            case "&": output += "\\u0026"
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
