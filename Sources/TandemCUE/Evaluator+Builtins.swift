import TandemJSON

/// Calls of predeclared functions and of the standard packages' functions.
extension Evaluator {
    /// A failed builtin call: the message, and whether it is only incomplete.
    struct BuiltinFailure: Error {
        var message: String
        var incomplete = false
    }

    func call(_ function: CUEExpr, _ arguments: [CUEExpr], _ environment: Environment?, at position: CUEPosition) -> Value {
        let callee = evaluateExpression(function, environment)
        guard case .builtin(let name) = callee else {
            if case .bottom = callee { return callee }
            return .bottom(CUEError(.eval, "cannot call non-function \(callee.description)", at: position))
        }
        var values: [Value] = []
        for argument in arguments {
            let value = evaluateExpression(argument, environment)
            if case .bottom = value { return value }
            values.append(value)
        }
        do {
            return try callBuiltin(name, values, at: position)
        } catch {
            return .bottom(CUEError(error.incomplete ? .incomplete : .eval, "error in call to \(name): \(error.message)", at: position))
        }
    }

    // MARK: Argument conversion

    func string(_ value: Value) throws(BuiltinFailure) -> String {
        switch value {
        case .scalar(.string(let text)): return text
        case .scalar(.bytes(let bytes)): return String(decoding: bytes, as: UTF8.self)
        default: throw failure(value, "string")
        }
    }

    func bytes(_ value: Value) throws(BuiltinFailure) -> [UInt8] {
        switch value {
        case .scalar(.string(let text)): return Array(text.utf8)
        case .scalar(.bytes(let bytes)): return bytes
        default: throw failure(value, "bytes")
        }
    }

    func int(_ value: Value) throws(BuiltinFailure) -> Int {
        if case .scalar(.int(let number)) = value { return number }
        throw failure(value, "int")
    }

    func number(_ value: Value) throws(BuiltinFailure) -> Double {
        if case .scalar(let scalar) = value, let number = scalar.number { return number }
        throw failure(value, "number")
    }

    func list(_ value: Value) throws(BuiltinFailure) -> [Vertex] {
        if case .composite(let vertex) = value, vertex.isList { return vertex.elements }
        throw failure(value, "list")
    }

    /// The values of a list's elements.
    func listValues(_ value: Value, at position: CUEPosition) throws(BuiltinFailure) -> [Value] {
        var result: [Value] = []
        for element in try list(value) {
            let item = self.value(of: element, at: position)
            if case .bottom(let error) = item { throw BuiltinFailure(message: error.message, incomplete: error.kind == .incomplete) }
            result.append(item)
        }
        return result
    }

    func json(_ value: Value) throws(BuiltinFailure) -> JSONValue {
        switch value {
        case .scalar(let scalar): return scalar.json
        case .composite(let vertex):
            do {
                return try export(vertex)
            } catch {
                throw BuiltinFailure(message: error.description, incomplete: error.kind == .incomplete)
            }
        default: throw failure(value, "concrete value")
        }
    }

    private func failure(_ value: Value, _ wanted: String) -> BuiltinFailure {
        if case .bottom(let error) = value { return BuiltinFailure(message: error.message, incomplete: error.kind == .incomplete) }
        let concrete = value.isConcreteScalar || value.kinds == .structure || value.kinds == .list
        return BuiltinFailure(message: "cannot use \(value.description) (type \(value.kinds.name)) as \(wanted)", incomplete: !concrete)
    }

    func arguments(_ values: [Value], _ count: Int) throws(BuiltinFailure) {
        guard values.count == count else {
            throw BuiltinFailure(message: "\(values.count < count ? "not enough" : "too many") arguments (want \(count))")
        }
    }

    func result(_ text: String, at position: CUEPosition) throws(BuiltinFailure) -> Value {
        guard text.utf8.count <= limits.maxStringLength else {
            _ = limitError("string longer than \(limits.maxStringLength) bytes", at: position)
            throw BuiltinFailure(message: "string longer than \(limits.maxStringLength) bytes")
        }
        return .scalar(.string(text))
    }

    // MARK: Dispatch

    func callBuiltin(_ name: String, _ values: [Value], at position: CUEPosition) throws(BuiltinFailure) -> Value {
        switch name {
        case "len":
            try arguments(values, 1)
            switch values[0] {
            case .scalar(.string(let text)): return .scalar(.int(text.utf8.count))
            case .scalar(.bytes(let bytes)): return .scalar(.int(bytes.count))
            case .composite(let vertex):
                if vertex.isList { return .scalar(.int(vertex.elements.count)) }
                return .scalar(.int(vertex.arcs.filter { if case .field = $0.label { $0.isPresent } else { false } }.count))
            default: throw failure(values[0], "list, struct, string or bytes")
            }
        case "close":
            try arguments(values, 1)
            return values[0]
        case "and":
            try arguments(values, 1)
            var result = Value.top
            for item in try listValues(values[0], at: position) { result = unify(result, item, at: position) }
            return result
        case "div", "mod", "quo", "rem":
            try arguments(values, 2)
            let x = try int(values[0]), y = try int(values[1])
            guard y != 0 else { throw BuiltinFailure(message: "division by zero") }
            guard !(x == Int.min && y == -1) else { throw BuiltinFailure(message: "integer overflow") }
            switch name {
            case "quo": return .scalar(.int(x / y))
            case "rem": return .scalar(.int(x % y))
            case "div":  // Euclidean division: the remainder is never negative
                var quotient = x / y
                if x % y < 0 { quotient += y > 0 ? -1 : 1 }
                return .scalar(.int(quotient))
            default:
                var remainder = x % y
                if remainder < 0 { remainder = y > 0 ? remainder + y : remainder - y }  // no abs(Int.min)
                return .scalar(.int(remainder))
            }
        default:
            break
        }
        let dot = name.lastIndex(of: ".") ?? name.startIndex
        let package = String(name[..<dot])
        let function = String(name[name.index(after: dot)...])
        switch package {
        case "strings": return try stringsFunction(function, values, at: position)
        case "strconv": return try strconvFunction(function, values, at: position)
        case "list": return try listFunction(function, values, at: position)
        case "math": return try mathFunction(function, values, at: position)
        case "regexp": return try regexpFunction(function, values, at: position)
        case "encoding/json": return try jsonFunction(function, values, at: position)
        case "encoding/yaml": return try yamlFunction(function, values, at: position)
        case "encoding/base64": return try base64Function(function, values, at: position)
        case "path": return try pathFunction(function, values, at: position)
        case "struct":
            try arguments(values, 1)
            guard let kind = Validator.Kind(rawValue: name) else { throw BuiltinFailure(message: "undefined: \(name)") }
            return .validator(Validator(kind: kind, count: try int(values[0]), position: position))
        default:
            throw BuiltinFailure(message: "package \"\(package)\" is not available")
        }
    }
}
