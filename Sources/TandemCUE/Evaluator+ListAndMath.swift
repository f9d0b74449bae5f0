import TandemJSON

/// The `list` and `math` packages.
extension Evaluator {
    func listFunction(_ function: String, _ values: [Value], at position: CUEPosition) throws(BuiltinFailure) -> Value {
        func elements(_ index: Int) throws(BuiltinFailure) -> [Vertex] { try list(values[index]) }
        func make(_ vertices: [Vertex]) -> Value { .composite(makeList(vertices.map { .vertex($0) }, at: position)) }
        switch function {
        case "Concat":
            try arguments(values, 1)
            var lists: [Vertex] = []
            for element in try elements(0) {
                guard case .composite(let inner) = value(of: element, at: position), inner.isList else {
                    throw BuiltinFailure(message: "Concat: elements must be lists")
                }
                lists.append(inner)
            }
            return concatenate(lists, at: position)
        case "Contains":
            try arguments(values, 2)
            let wanted = try json(values[1])
            for item in try listValues(values[0], at: position) where (try? json(item)) == wanted { return .scalar(.bool(true)) }
            return .scalar(.bool(false))
        case "FlattenN":
            try arguments(values, 2)
            var output: [Vertex] = []
            func flatten(_ items: [Vertex], _ depth: Int) throws(BuiltinFailure) {
                for item in items {
                    if depth != 0, case .composite(let inner) = value(of: item, at: position), inner.isList {
                        try flatten(inner.elements, depth - 1)
                    } else {
                        output.append(item)
                    }
                    if output.count > limits.maxListLength { throw BuiltinFailure(message: "list too long") }
                }
            }
            try flatten(try elements(0), try int(values[1]))
            return make(output)
        case "Range":
            try arguments(values, 3)
            let (start, limit, step) = (try number(values[0]), try number(values[1]), try number(values[2]))
            guard step != 0 else { throw BuiltinFailure(message: "step must be non zero") }
            let allInts = values.allSatisfy { if case .scalar(.int) = $0 { true } else { false } }
            var items: [Conjunct.Source] = []
            var current = start
            while step > 0 ? current < limit : current > limit {
                items.append(.value(.scalar(allInts ? .int(Int(current)) : .float(current))))
                if items.count > limits.maxListLength { throw BuiltinFailure(message: "list too long") }
                current += step
            }
            return .composite(makeList(items, at: position))
        case "Take":
            try arguments(values, 2)
            let items = try elements(0), count = try int(values[1])
            guard count >= 0 else { throw BuiltinFailure(message: "negative index") }
            return make(Array(items.prefix(count)))
        case "Drop":
            try arguments(values, 2)
            let items = try elements(0), count = try int(values[1])
            guard count >= 0 else { throw BuiltinFailure(message: "negative index") }
            return make(Array(items.dropFirst(count)))
        case "Slice":
            try arguments(values, 3)
            let items = try elements(0), low = try int(values[1]), high = try int(values[2])
            guard low >= 0, high <= items.count, low <= high else { throw BuiltinFailure(message: "slice bounds out of range") }
            return make(Array(items[low..<high]))
        case "Sum", "Max", "Min", "Avg", "Product":
            try arguments(values, 1)
            let numbers = try listValues(values[0], at: position)
            if numbers.isEmpty {
                if function == "Sum" { return .scalar(.int(0)) }
                if function == "Product" { return .scalar(.int(1)) }
                throw BuiltinFailure(message: "\(function): empty list")
            }
            var accumulator = numbers[0]
            for item in numbers.dropFirst() {
                switch function {
                case "Sum", "Avg": accumulator = binary(.add, accumulator, item, at: position)
                case "Product": accumulator = binary(.multiply, accumulator, item, at: position)
                case "Max": if case .scalar(.bool(true)) = binary(.greater, item, accumulator, at: position) { accumulator = item }
                default: if case .scalar(.bool(true)) = binary(.less, item, accumulator, at: position) { accumulator = item }
                }
                if case .bottom(let error) = accumulator { throw BuiltinFailure(message: error.message) }
            }
            if function == "Avg" { return binary(.divide, accumulator, .scalar(.int(numbers.count)), at: position) }
            return accumulator
        case "SortStrings":
            try arguments(values, 1)
            var strings: [String] = []
            for item in try listValues(values[0], at: position) { strings.append(try string(item)) }
            return .composite(makeList(strings.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { .value(.scalar(.string($0))) }, at: position))
        case "Sort", "SortStable":
            try arguments(values, 2)
            let items = try elements(0)
            var failure: BuiltinFailure?
            // A stable sort (by original index on ties), so Sort and SortStable agree.
            let sorted = items.enumerated().sorted { left, right in
                guard failure == nil else { return left.offset < right.offset }
                do throws(BuiltinFailure) {
                    if try less(left.element, right.element, values[1], at: position) { return true }
                    if try less(right.element, left.element, values[1], at: position) { return false }
                } catch {
                    failure = error
                }
                return left.offset < right.offset
            }
            if let failure { throw failure }
            return make(sorted.map { $0.element })
        case "UniqueItems":
            try arguments(values, 1)
            var seen: [JSONValue] = []
            for item in try listValues(values[0], at: position) {
                let data = try json(item)
                if seen.contains(data) { return .scalar(.bool(false)) }
                seen.append(data)
            }
            return .scalar(.bool(true))
        case "Repeat":
            try arguments(values, 2)
            let items = try elements(0), count = try int(values[1])
            guard count >= 0 else { throw BuiltinFailure(message: "negative count") }
            let (total, overflow) = items.count.multipliedReportingOverflow(by: count)
            guard !overflow, total <= limits.maxListLength else { throw BuiltinFailure(message: "list too long") }
            return make(Array(Array(repeating: items, count: count).joined()))
        default:
            throw BuiltinFailure(message: "undefined: list.\(function)")
        }
    }

    /// Whether `a` sorts before `b` by the comparator: `list.Ascending`, `list.Descending`, or
    /// a struct with `x`, `y` and a boolean `less` (unified with `x: a, y: b`).
    private func less(_ a: Vertex, _ b: Vertex, _ comparator: Value, at position: CUEPosition) throws(BuiltinFailure) -> Bool {
        let result: Value
        switch comparator {
        case .builtin("list.Ascending"), .builtin("list.Descending"):
            let (x, y) = (value(of: a, at: position), value(of: b, at: position))
            result = binary(comparator.description == "list.Ascending" ? .less : .greater, x, y, at: position)
        case .composite(let structure) where structure.isStruct:
            let probe = Vertex(parent: nil, label: .detached, arena: arena)
            probe.presence = .regular
            probe.conjuncts = [Conjunct(source: .vertex(structure), environment: nil, group: nil, position: position)]
            for (name, element) in [("x", a), ("y", b)] {
                var created = false
                let arc = probe.ensureArc(.field(name), created: &created)
                arc.presence = .regular
                arc.conjuncts = [Conjunct(source: .vertex(element), environment: nil, group: nil, position: position)]
            }
            switch select(probe, .field("less"), at: position) {
            case .vertex(let vertex): result = value(of: vertex, at: position)
            case .value(let value): result = value
            }
        default:
            throw BuiltinFailure(message: "invalid comparator \(comparator.description)")
        }
        switch result {
        case .scalar(.bool(let flag)): return flag
        case .bottom(let error): throw BuiltinFailure(message: error.message, incomplete: error.kind == .incomplete)
        default: throw BuiltinFailure(message: "comparator's less is \(result.description), not a bool", incomplete: true)
        }
    }

    func mathFunction(_ function: String, _ values: [Value], at position: CUEPosition) throws(BuiltinFailure) -> Value {
        func integral(_ number: Double) -> Value {
            if let exact = Int(exactly: number) { return .scalar(.int(exact)) }
            return .scalar(.float(number))
        }
        switch function {
        case "Floor", "Ceil", "Round", "Trunc":
            try arguments(values, 1)
            let x = try number(values[0])
            let rounded: Double
            switch function {
            case "Floor": rounded = x.rounded(.down)
            case "Ceil": rounded = x.rounded(.up)
            case "Round": rounded = x.rounded(.toNearestOrAwayFromZero)
            default: rounded = x.rounded(.towardZero)
            }
            return integral(rounded)
        case "Abs":
            try arguments(values, 1)
            if case .scalar(.int(let x)) = values[0] {
                guard x != Int.min else { throw BuiltinFailure(message: "integer overflow") }
                return .scalar(.int(abs(x)))
            }
            return .scalar(.float(abs(try number(values[0]))))
        case "Pow":
            try arguments(values, 2)
            if case .scalar(.int(let base)) = values[0], case .scalar(.int(let exponent)) = values[1], exponent >= 0 {
                var result = 1
                for _ in 0..<min(exponent, 64) {
                    let (next, overflow) = result.multipliedReportingOverflow(by: base)
                    guard !overflow else { throw BuiltinFailure(message: "integer overflow") }
                    result = next
                    if result == 0 || result == 1 { break }
                }
                return .scalar(.int(exponent > 64 && abs(base) > 1 ? Int.max : result))
            }
            let exponent = try number(values[1])
            guard let integral = Int(exactly: exponent), integral != Int.min else {
                throw BuiltinFailure(message: "math.Pow: only integer exponents are supported")
            }
            return .scalar(.float(Self.power(try number(values[0]), integral)))
        case "Sqrt":
            try arguments(values, 1)
            return .scalar(.float(try number(values[0]).squareRoot()))
        case "Max", "Min":
            try arguments(values, 2)
            let (x, y) = (try number(values[0]), try number(values[1]))
            return .scalar(.float(function == "Max" ? max(x, y) : min(x, y)))
        default:
            throw BuiltinFailure(message: "undefined: math.\(function)")
        }
    }

    /// `base` to an integer power, by repeated squaring.
    static func power(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0, factor = base, remaining = exponent.magnitude
        while remaining > 0 {
            if remaining & 1 == 1 { result *= factor }
            factor *= factor
            remaining >>= 1
        }
        return exponent < 0 ? 1 / result : result
    }
}
