import TandemJSON

/// Evaluating expressions to values: operators, interpolation, calls, slices.
extension Evaluator {
    func evaluateExpression(_ expression: CUEExpr, _ environment: Environment?) -> Value {
        guard tick(expression.position) else { return .bottom(aborted ?? CUEError(.limit, "aborted")) }
        depth += 1
        defer { depth -= 1 }
        if depth > limits.maxDepth {
            return .bottom(limitError("evaluation nested deeper than \(limits.maxDepth) levels", at: expression.position))
        }
        let position = expression.position
        switch expression.kind {
        case .null: return .scalar(.null)
        case .bool(let value): return .scalar(.bool(value))
        case .int(let value): return .scalar(.int(value))
        case .float(let value): return .scalar(.float(value))
        case .string(let value): return .scalar(.string(value))
        case .bytes(let value): return .scalar(.bytes(Array(value.utf8)))
        case .top: return .top
        case .bottom: return .bottom(CUEError(.eval, "explicit error (_|_ literal) in source", at: position))
        case .parenthesized(let inner): return evaluateExpression(inner, environment)
        case .interpolation(let parts, let bytes): return interpolate(parts, bytes: bytes, environment, at: position)
        case .identifier, .selector, .index:
            switch resolve(expression, environment) {
            case .vertex(let vertex): return value(of: vertex, at: position)
            case .value(let value): return value
            }
        case .slice(let base, let low, let high):
            return slice(base, low, high, environment, at: position)
        case .call(let function, let arguments):
            return call(function, arguments, environment, at: position)
        case .unary(let op, let operand):
            return unary(op, evaluateExpression(operand, environment), at: position)
        case .binary(.and, _, _), .binary(.or, _, _), .structLiteral, .listLiteral:
            return evaluateDetached(expression, environment)
        case .binary(let op, let left, let right):
            if case .bottom = right.kind, op == .equal || op == .notEqual {
                return existence(left, environment, negated: op == .notEqual)
            }
            if case .bottom = left.kind, op == .equal || op == .notEqual {
                return existence(right, environment, negated: op == .notEqual)
            }
            let leftValue = evaluateExpression(left, environment)
            if op == .logicalAnd, case .scalar(.bool(false)) = leftValue { return leftValue }
            if op == .logicalOr, case .scalar(.bool(true)) = leftValue { return leftValue }
            return binary(op, leftValue, evaluateExpression(right, environment), at: position)
        }
    }

    /// Evaluates an expression in a vertex of its own (a struct, list, `&` or `|` used as an
    /// operand) and returns that vertex's value.
    func evaluateDetached(_ expression: CUEExpr, _ environment: Environment?) -> Value {
        let vertex = Vertex(parent: nil, label: .detached, arena: arena)
        vertex.presence = .regular
        vertex.conjuncts = [Conjunct(source: .expression(expression), environment: environment, group: nil, position: expression.position)]
        return value(of: vertex, at: expression.position)
    }

    /// `x == _|_` / `x != _|_`: whether x is an error (a missing field counts).
    private func existence(_ operand: CUEExpr, _ environment: Environment?, negated: Bool) -> Value {
        let value = evaluateExpression(operand, environment)
        if case .bottom(let error) = value, error.kind == .limit { return value }
        return .scalar(.bool(value.isBottom != negated))
    }

    private func interpolate(_ parts: [CUEInterpolationPart], bytes: Bool, _ environment: Environment?, at position: CUEPosition) -> Value {
        var result = ""
        for part in parts {
            switch part {
            case .text(let text): result += text
            case .expression(let expression):
                let value = evaluateExpression(expression, environment)
                switch value {
                case .scalar(let scalar): result += scalar.interpolated
                case .bottom: return value
                case .composite:
                    return .bottom(CUEError(.eval, "invalid interpolation: cannot use \(value.description) as a string", at: expression.position))
                default:
                    return .bottom(CUEError(.incomplete, "invalid interpolation: non-concrete value \(value.description)", at: expression.position))
                }
            }
            if result.utf8.count > limits.maxStringLength {
                return .bottom(limitError("string longer than \(limits.maxStringLength) bytes", at: position))
            }
        }
        return .scalar(bytes ? .bytes(Array(result.utf8)) : .string(result))
    }

    func unary(_ op: CUEOperator, _ operand: Value, at position: CUEPosition) -> Value {
        if case .bottom = operand { return operand }
        switch op {
        case .multiply, .add where operand.kinds.isSubset(of: .number):
            return operand
        case .not:
            if case .scalar(.bool(let value)) = operand { return .scalar(.bool(!value)) }
        case .subtract:
            if case .scalar(.int(let value)) = operand {
                let (negated, overflow) = (0).subtractingReportingOverflow(value)
                return overflow ? .bottom(CUEError(.eval, "integer overflow", at: position)) : .scalar(.int(negated))
            }
            if case .scalar(.float(let value)) = operand { return .scalar(.float(-value)) }
        case .less, .lessEqual, .greater, .greaterEqual, .notEqual, .match, .notMatch:
            guard case .scalar(let scalar) = operand else {
                return .bottom(CUEError(.incomplete, "non-concrete value \(operand.description) in bound \(op.rawValue)", at: position))
            }
            if op == .match || op == .notMatch {
                guard case .string(let pattern) = scalar else { break }
                do { _ = try regexCache.regex(pattern) } catch { return .bottom(error.located(at: position)) }
            }
            let bound = CUEBound(op: op, value: scalar)
            return .constraint(bound.kinds, [bound])
        default:
            break
        }
        let isComposite = operand.kinds == .structure || operand.kinds == .list
        if !operand.isConcreteScalar && !isComposite {
            return .bottom(CUEError(.incomplete, "non-concrete value \(operand.description) in operand to \(op.rawValue)", at: position))
        }
        return .bottom(CUEError(.eval, "invalid operation \(op.rawValue)\(operand.description) (\(op.rawValue) \(operand.kinds.name))", at: position))
    }

    func binary(_ op: CUEOperator, _ left: Value, _ right: Value, at position: CUEPosition) -> Value {
        if case .bottom = left { return left }
        if case .bottom = right { return right }
        if op == .equal || op == .notEqual {
            if let equal = equality(left, right, at: position) {
                if case .bottom = equal { return equal }
                if case .scalar(.bool(let value)) = equal { return .scalar(.bool(value != (op == .notEqual))) }
            }
        }
        guard case .scalar(let a) = left, case .scalar(let b) = right else {
            if case .composite(let x) = left, case .composite(let y) = right, op == .add, x.isList, y.isList {
                return concatenate([x, y], at: position)
            }
            if case .composite(let list) = left, list.isList, op == .multiply, case .scalar(.int(let count)) = right {
                return repeatList(list, count, at: position)
            }
            let nonConcrete = [left, right].first { !$0.isConcreteScalar && !($0.kinds == .structure || $0.kinds == .list) }
            if let nonConcrete {
                return .bottom(CUEError(.incomplete, "non-concrete value \(nonConcrete.description) in operand to \(op.rawValue)", at: position))
            }
            return .bottom(CUEError(.eval, "invalid operands \(left.description) and \(right.description) to '\(op.rawValue)' (type \(left.kinds.name) and \(right.kinds.name))", at: position))
        }
        let invalid = Value.bottom(CUEError(.eval, "invalid operands \(a.description) and \(b.description) to '\(op.rawValue)' (type \(a.kind.name) and \(b.kind.name))", at: position))
        switch op {
        case .logicalAnd, .logicalOr:
            guard case .bool(let x) = a, case .bool(let y) = b else { return invalid }
            return .scalar(.bool(op == .logicalAnd ? x && y : x || y))
        case .less, .lessEqual, .greater, .greaterEqual:
            guard a.kind == b.kind || (a.number != nil && b.number != nil), let order = a.compare(to: b) else { return invalid }
            let result: Bool
            switch op {
            case .less: result = order < 0
            case .lessEqual: result = order <= 0
            case .greater: result = order > 0
            default: result = order >= 0
            }
            return .scalar(.bool(result))
        case .match, .notMatch:
            guard case .string(let text) = a, case .string(let pattern) = b else { return invalid }
            do {
                let matched = try regexCache.regex(pattern).matches(text)
                return .scalar(.bool(matched == (op == .match)))
            } catch {
                return .bottom(error.located(at: position))
            }
        case .add, .subtract, .multiply, .divide:
            return arithmetic(op, a, b, at: position) ?? invalid
        default:
            return invalid
        }
    }

    /// `==` of two values; `nil` when they cannot be compared here.
    private func equality(_ left: Value, _ right: Value, at position: CUEPosition) -> Value? {
        switch (left, right) {
        case (.scalar(let a), .scalar(let b)):
            if let x = a.number, let y = b.number { return .scalar(.bool(x == y && (a.kind == b.kind || x == y))) }
            return .scalar(.bool(a == b))
        case (.scalar(.null), .composite), (.composite, .scalar(.null)):
            return .scalar(.bool(false))
        case (.composite(let x), .composite(let y)):
            do {
                return .scalar(.bool(try export(x) == export(y)))
            } catch {
                return .bottom(error)
            }
        default:
            return nil
        }
    }

    private func arithmetic(_ op: CUEOperator, _ a: CUEScalar, _ b: CUEScalar, at position: CUEPosition) -> Value? {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let result: (Int, Bool)
            switch op {
            case .add: result = x.addingReportingOverflow(y)
            case .subtract: result = x.subtractingReportingOverflow(y)
            case .multiply: result = x.multipliedReportingOverflow(by: y)
            default:
                guard y != 0 else { return .bottom(CUEError(.eval, "division by zero", at: position)) }
                return .scalar(.float(Double(x) / Double(y)))
            }
            return result.1 ? .bottom(CUEError(.eval, "integer overflow in \(x) \(op.rawValue) \(y)", at: position)) : .scalar(.int(result.0))
        case (.string(let x), .string(let y)) where op == .add:
            return checkedString(x + y, at: position)
        case (.bytes(let x), .bytes(let y)) where op == .add:
            guard x.count + y.count <= limits.maxStringLength else {
                return .bottom(limitError("bytes longer than \(limits.maxStringLength)", at: position))
            }
            return .scalar(.bytes(x + y))
        case (.string(let text), .int(let count)) where op == .multiply, (.int(let count), .string(let text)) where op == .multiply:
            guard count >= 0 else { return .bottom(CUEError(.eval, "cannot repeat a string a negative number of times", at: position)) }
            let (total, overflow) = text.utf8.count.multipliedReportingOverflow(by: count)
            guard !overflow, total <= limits.maxStringLength else {
                return .bottom(limitError("string longer than \(limits.maxStringLength) bytes", at: position))
            }
            return .scalar(.string(String(repeating: text, count: count)))
        default:
            guard let x = a.number, let y = b.number else { return nil }
            switch op {
            case .add: return .scalar(.float(x + y))
            case .subtract: return .scalar(.float(x - y))
            case .multiply: return .scalar(.float(x * y))
            default:
                guard y != 0 else { return .bottom(CUEError(.eval, "division by zero", at: position)) }
                return .scalar(.float(x / y))
            }
        }
    }

    func checkedString(_ text: String, at position: CUEPosition) -> Value {
        guard text.utf8.count <= limits.maxStringLength else {
            return .bottom(limitError("string longer than \(limits.maxStringLength) bytes", at: position))
        }
        return .scalar(.string(text))
    }

    private func slice(_ base: CUEExpr, _ low: CUEExpr?, _ high: CUEExpr?, _ environment: Environment?, at position: CUEPosition) -> Value {
        let value = evaluateExpression(base, environment)
        func bound(_ expression: CUEExpr?, _ fallback: Int) -> Result<Int, CUEError> {
            guard let expression else { return .success(fallback) }
            switch evaluateExpression(expression, environment) {
            case .scalar(.int(let index)): return .success(index)
            case .bottom(let error): return .failure(error)
            case let other: return .failure(CUEError(.eval, "invalid slice index \(other.description)", at: expression.position))
            }
        }
        let count: Int
        switch value {
        case .composite(let list) where list.isList: count = list.elements.count
        case .scalar(.string(let text)): count = text.utf8.count
        case .scalar(.bytes(let bytes)): count = bytes.count
        case .bottom: return value
        default: return .bottom(CUEError(.eval, "cannot slice \(value.description)", at: position))
        }
        let start: Int, end: Int
        switch (bound(low, 0), bound(high, count)) {
        case (.success(let a), .success(let b)): (start, end) = (a, b)
        case (.failure(let error), _), (_, .failure(let error)): return .bottom(error)
        }
        guard start >= 0, end <= count, start <= end else {
            return .bottom(CUEError(.eval, "invalid slice index: [\(start):\(end)] with length \(count)", at: position))
        }
        switch value {
        case .composite(let list): return .composite(makeList(Array(list.elements[start..<end]).map { .vertex($0) }, at: position))
        case .scalar(.string(let text)): return .scalar(.string(String(decoding: Array(text.utf8)[start..<end], as: UTF8.self)))
        case .scalar(.bytes(let bytes)): return .scalar(.bytes(Array(bytes[start..<end])))
        default: return value
        }
    }

    /// A closed list whose elements are the given conjunct sources.
    func makeList(_ sources: [Conjunct.Source], at position: CUEPosition) -> Vertex {
        let list = Vertex(parent: nil, label: .detached, arena: arena)
        list.presence = .regular
        list.conjuncts = [Conjunct(source: .elements(sources), environment: nil, group: nil, position: position)]
        evaluate(list)
        return list
    }

    /// A vertex holding JSON data (a builtin's result).
    func makeVertex(_ json: JSONValue, at position: CUEPosition) -> Value {
        switch json {
        case .object, .array:
            let vertex = Vertex(parent: nil, label: .detached, arena: arena)
            vertex.presence = .regular
            vertex.conjuncts = [Conjunct(source: .json(json), environment: nil, group: nil, position: position)]
            evaluate(vertex)
            return .composite(vertex)
        case .null: return .scalar(.null)
        case .bool(let value): return .scalar(.bool(value))
        case .int(let value): return .scalar(.int(value))
        case .double(let value): return .scalar(.float(value))
        case .string(let value): return .scalar(.string(value))
        }
    }

    func concatenate(_ lists: [Vertex], at position: CUEPosition) -> Value {
        var sources: [Conjunct.Source] = []
        for list in lists {
            sources += list.elements.map { .vertex($0) }
            if sources.count > limits.maxListLength {
                return .bottom(limitError("list longer than \(limits.maxListLength) elements", at: position))
            }
        }
        return .composite(makeList(sources, at: position))
    }

    private func repeatList(_ list: Vertex, _ count: Int, at position: CUEPosition) -> Value {
        guard count >= 0 else { return .bottom(CUEError(.eval, "negative list repetition", at: position)) }
        let (total, overflow) = list.elements.count.multipliedReportingOverflow(by: count)
        guard !overflow, total <= limits.maxListLength else {
            return .bottom(limitError("list longer than \(limits.maxListLength) elements", at: position))
        }
        return concatenate(Array(repeating: list, count: count), at: position)
    }
}
