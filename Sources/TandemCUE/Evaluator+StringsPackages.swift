/// The `strings` and `strconv` packages.
extension Evaluator {
    func stringsFunction(_ function: String, _ values: [Value], at position: CUEPosition) throws(BuiltinFailure) -> Value {
        func text(_ index: Int) throws(BuiltinFailure) -> String { try string(values[index]) }
        switch function {
        case "Join":
            try arguments(values, 2)
            var parts: [String] = []
            for item in try listValues(values[0], at: position) { parts.append(try string(item)) }
            return try result(parts.joined(separator: try text(1)), at: position)
        case "Split":
            try arguments(values, 2)
            return .composite(makeList(Self.split(try text(0), try text(1), limit: -1).map { .value(.scalar(.string($0))) }, at: position))
        case "SplitN":
            try arguments(values, 3)
            return .composite(makeList(Self.split(try text(0), try text(1), limit: try int(values[2])).map { .value(.scalar(.string($0))) }, at: position))
        case "Fields":
            try arguments(values, 1)
            let fields = try text(0).split(whereSeparator: { $0.isWhitespace }).map(String.init)
            return .composite(makeList(fields.map { .value(.scalar(.string($0))) }, at: position))
        case "Contains":
            try arguments(values, 2)
            let (haystack, needle) = (try text(0), try text(1))
            return .scalar(.bool(needle.isEmpty || Self.index(of: needle, in: haystack, last: false) >= 0))
        case "HasPrefix":
            try arguments(values, 2)
            return .scalar(.bool(try text(0).utf8.starts(with: try text(1).utf8)))
        case "HasSuffix":
            try arguments(values, 2)
            return .scalar(.bool(try text(0).utf8.reversed().starts(with: try text(1).utf8.reversed())))
        case "ToLower":
            try arguments(values, 1)
            return .scalar(.string(try text(0).lowercased()))
        case "ToUpper":
            try arguments(values, 1)
            return .scalar(.string(try text(0).uppercased()))
        case "ToTitle":
            try arguments(values, 1)
            return .scalar(.string(try text(0).uppercased()))
        case "TrimSpace":
            try arguments(values, 1)
            return .scalar(.string(Self.trim(try text(0)) { $0.properties.isWhitespace }))
        case "Trim":
            try arguments(values, 2)
            let cutset = Set(try text(1).unicodeScalars)
            return .scalar(.string(Self.trim(try text(0)) { cutset.contains($0) }))
        case "TrimPrefix":
            try arguments(values, 2)
            let (whole, prefix) = (try text(0), try text(1))
            guard !prefix.isEmpty, whole.utf8.starts(with: prefix.utf8) else { return .scalar(.string(whole)) }
            return .scalar(.string(String(decoding: Array(whole.utf8).dropFirst(prefix.utf8.count), as: UTF8.self)))
        case "TrimSuffix":
            try arguments(values, 2)
            let (whole, suffix) = (try text(0), try text(1))
            guard !suffix.isEmpty, whole.utf8.reversed().starts(with: suffix.utf8.reversed()) else { return .scalar(.string(whole)) }
            return .scalar(.string(String(decoding: Array(whole.utf8).dropLast(suffix.utf8.count), as: UTF8.self)))
        case "Replace":
            try arguments(values, 4)
            return try result(Self.replace(try text(0), try text(1), try text(2), limit: try int(values[3])), at: position)
        case "ReplaceAll":
            try arguments(values, 3)
            return try result(Self.replace(try text(0), try text(1), try text(2), limit: -1), at: position)
        case "Index":
            try arguments(values, 2)
            return .scalar(.int(Self.index(of: try text(1), in: try text(0), last: false)))
        case "LastIndex":
            try arguments(values, 2)
            return .scalar(.int(Self.index(of: try text(1), in: try text(0), last: true)))
        case "Count":
            try arguments(values, 2)
            let needle = try text(1)
            if needle.isEmpty { return .scalar(.int(try text(0).unicodeScalars.count + 1)) }
            return .scalar(.int(Self.split(try text(0), needle, limit: -1).count - 1))
        case "Repeat":
            try arguments(values, 2)
            let (word, count) = (try text(0), try int(values[1]))
            guard count >= 0 else { throw BuiltinFailure(message: "negative Repeat count") }
            let (total, overflow) = word.utf8.count.multipliedReportingOverflow(by: count)
            guard !overflow, total <= limits.maxStringLength else {
                _ = limitError("string longer than \(limits.maxStringLength) bytes", at: position)
                throw BuiltinFailure(message: "string longer than \(limits.maxStringLength) bytes")
            }
            return .scalar(.string(String(repeating: word, count: count)))
        default:
            throw BuiltinFailure(message: "undefined: strings.\(function)")
        }
    }

    /// Go's `strings.SplitN`: `limit` < 0 means all; an empty separator splits into characters.
    static func split(_ text: String, _ separator: String, limit: Int) -> [String] {
        if limit == 0 { return [] }
        if separator.isEmpty {
            var parts = text.unicodeScalars.map { String($0) }
            if limit > 0, parts.count > limit {
                let rest = parts[(limit - 1)...].joined()
                parts = Array(parts[..<(limit - 1)]) + [rest]
            }
            return parts
        }
        let bytes = Array(text.utf8), needle = Array(separator.utf8)
        var parts: [String] = []
        var start = 0, index = 0
        while index + needle.count <= bytes.count {
            if limit > 0 && parts.count == limit - 1 { break }
            if Array(bytes[index..<(index + needle.count)]) == needle {
                parts.append(String(decoding: bytes[start..<index], as: UTF8.self))
                index += needle.count
                start = index
            } else {
                index += 1
            }
        }
        parts.append(String(decoding: bytes[start...], as: UTF8.self))
        return parts
    }

    static func replace(_ text: String, _ old: String, _ new: String, limit: Int) -> String {
        guard !old.isEmpty else { return text }
        return split(text, old, limit: limit < 0 ? -1 : limit + 1).joined(separator: new)
    }

    /// Byte offset of the first (or last) occurrence, -1 if none.
    static func index(of needle: String, in text: String, last: Bool) -> Int {
        let bytes = Array(text.utf8), pattern = Array(needle.utf8)
        guard pattern.count <= bytes.count else { return -1 }
        let positions = Array(0...(bytes.count - pattern.count))
        for start in last ? positions.reversed() : positions where Array(bytes[start..<(start + pattern.count)]) == pattern {
            return start
        }
        return -1
    }

    static func trim(_ text: String, _ remove: (Unicode.Scalar) -> Bool) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, remove(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, remove(last) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    func strconvFunction(_ function: String, _ values: [Value], at position: CUEPosition) throws(BuiltinFailure) -> Value {
        switch function {
        case "Atoi":
            try arguments(values, 1)
            let text = try string(values[0])
            guard let number = Int(text) else { throw BuiltinFailure(message: "strconv.Atoi: parsing \(CUEScalar.string(text)): invalid syntax") }
            return .scalar(.int(number))
        case "Itoa":
            try arguments(values, 1)
            return .scalar(.string(String(try int(values[0]))))
        case "FormatInt":
            try arguments(values, 2)
            let base = try int(values[1])
            guard (2...36).contains(base) else { throw BuiltinFailure(message: "invalid base \(base)") }
            return .scalar(.string(String(try int(values[0]), radix: base)))
        case "ParseInt":
            try arguments(values, 3)
            let text = try string(values[0])
            var base = try int(values[1])
            var digits = Substring(text)
            var negative = false
            if digits.hasPrefix("-") { negative = true; digits = digits.dropFirst() } else if digits.hasPrefix("+") { digits = digits.dropFirst() }
            if base == 0 {
                base = 10
                for (prefix, radix) in [("0x", 16), ("0X", 16), ("0o", 8), ("0b", 2), ("0B", 2)] where digits.hasPrefix(prefix) {
                    base = radix
                    digits = digits.dropFirst(2)
                }
            }
            guard (2...36).contains(base), let magnitude = Int(String(digits).replacingOccurrences("_", ""), radix: base) else {
                throw BuiltinFailure(message: "strconv.ParseInt: parsing \(CUEScalar.string(text)): invalid syntax")
            }
            let number = negative ? -magnitude : magnitude
            let bits = try int(values[2])
            if bits > 0 && bits < 64 {
                let limit = 1 << (bits - 1)
                guard number >= -limit && number < limit else {
                    throw BuiltinFailure(message: "strconv.ParseInt: parsing \(CUEScalar.string(text)): value out of range")
                }
            }
            return .scalar(.int(number))
        case "ParseBool":
            try arguments(values, 1)
            switch try string(values[0]) {
            case "1", "t", "T", "TRUE", "true", "True": return .scalar(.bool(true))
            case "0", "f", "F", "FALSE", "false", "False": return .scalar(.bool(false))
            case let text: throw BuiltinFailure(message: "strconv.ParseBool: parsing \(CUEScalar.string(text)): invalid syntax")
            }
        case "FormatBool":
            try arguments(values, 1)
            guard case .scalar(.bool(let flag)) = values[0] else { throw BuiltinFailure(message: "argument must be a bool") }
            return .scalar(.string(flag ? "true" : "false"))
        case "FormatFloat":
            // Only the shortest form (precision -1, format 'f' or 'g') rather than a wrong answer.
            try arguments(values, 4)
            let value = try number(values[0])
            let format: String
            switch values[1] {
            case .scalar(.int(let code)): format = Unicode.Scalar(UInt32(clamping: code)).map { String(Character($0)) } ?? ""
            default: format = try string(values[1])
            }
            let precision = try int(values[2])
            guard precision == -1, format == "f" || format == "g" else {
                throw BuiltinFailure(message: "strconv.FormatFloat: only precision -1 with format 'f' or 'g' is supported")
            }
            if let integer = Int(exactly: value) { return .scalar(.string(String(integer))) }
            return .scalar(.string("\(value)"))
        case "ParseFloat":
            try arguments(values, 2)
            let text = try string(values[0])
            guard let number = Double(text) else { throw BuiltinFailure(message: "strconv.ParseFloat: parsing \(CUEScalar.string(text)): invalid syntax") }
            return .scalar(.float(number))
        case "Quote":
            try arguments(values, 1)
            return try result(CUEScalar.string(try string(values[0])).description, at: position)
        case "Unquote":
            try arguments(values, 1)
            let text = try string(values[0])
            if text.hasPrefix("`"), text.hasSuffix("`"), text.count >= 2 { return .scalar(.string(String(text.dropFirst().dropLast()))) }
            guard text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2,
                  case .string(let decoded) = try? JSONReaderBridge.read(text) else {
                throw BuiltinFailure(message: "invalid syntax")
            }
            return .scalar(.string(decoded))
        default:
            throw BuiltinFailure(message: "undefined: strconv.\(function)")
        }
    }
}
