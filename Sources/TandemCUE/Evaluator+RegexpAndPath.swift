import TandemJSON

/// The `regexp` and `path` packages.
extension Evaluator {
    func regexpFunction(_ function: String, _ values: [Value], at position: CUEPosition) throws(BuiltinFailure) -> Value {
        try arguments(values, function == "FindAll" || function == "ReplaceAll" ? 3 : 2)
        let pattern = try string(values[0])
        let regex: CUERegex
        do { regex = try regexCache.regex(pattern) } catch { throw BuiltinFailure(message: error.message) }
        let text = try string(values[1])
        let scalars = Array(text.unicodeScalars)
        func substring(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        switch function {
        case "Match":
            return .scalar(.bool(regex.matches(text)))
        case "Find":
            guard let match = regex.firstMatch(in: text), let whole = match[0] else { throw BuiltinFailure(message: "no match") }
            return .scalar(.string(substring(whole)))
        case "FindSubmatch":
            guard let match = regex.firstMatch(in: text) else { throw BuiltinFailure(message: "no match") }
            return .composite(makeList(match.map { .value(.scalar(.string($0.map(substring) ?? ""))) }, at: position))
        case "FindNamedSubmatch":
            guard let match = regex.firstMatch(in: text) else { throw BuiltinFailure(message: "no match") }
            var object = JSONObject()
            for (index, name) in regex.groupNames.sorted(by: { $0.key < $1.key }) {
                object[name] = .string(match[index].map(substring) ?? "")
            }
            return makeVertex(.object(object), at: position)
        case "FindAll":
            var found: [Conjunct.Source] = []
            var start = 0
            let limit = try int(values[2])
            while start <= scalars.count, limit < 0 || found.count < limit,
                  let match = regex.firstMatch(in: text, from: start), let whole = match[0] {
                found.append(.value(.scalar(.string(substring(whole)))))
                start = whole.isEmpty ? whole.upperBound + 1 : whole.upperBound
                if found.count > limits.maxListLength { throw BuiltinFailure(message: "too many matches") }
            }
            guard !found.isEmpty else { throw BuiltinFailure(message: "no match") }
            return .composite(makeList(found, at: position))
        default:
            throw BuiltinFailure(message: "undefined: regexp.\(function)")
        }
    }

    func pathFunction(_ function: String, _ values: [Value], at position: CUEPosition) throws(BuiltinFailure) -> Value {
        switch function {
        case "Join":
            guard !values.isEmpty else { throw BuiltinFailure(message: "not enough arguments") }
            var parts: [String] = []
            if case .composite = values[0] {
                for item in try listValues(values[0], at: position) { parts.append(try string(item)) }
            } else {
                for item in values { parts.append(try string(item)) }
            }
            let joined = parts.filter { !$0.isEmpty }.joined(separator: "/")
            return .scalar(.string(joined.isEmpty ? "" : Self.clean(joined)))
        case "Base", "Dir", "Ext", "Clean":
            guard !values.isEmpty else { throw BuiltinFailure(message: "not enough arguments") }
            let path = try string(values[0])
            switch function {
            case "Clean": return .scalar(.string(Self.clean(path)))
            case "Base":
                if path.isEmpty { return .scalar(.string(".")) }
                var trimmed = Substring(path)
                while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
                if trimmed == "/" { return .scalar(.string("/")) }
                return .scalar(.string(String(trimmed.split(separator: "/", omittingEmptySubsequences: false).last ?? "")))
            case "Dir":
                guard let slash = path.lastIndex(of: "/") else { return .scalar(.string(".")) }
                return .scalar(.string(Self.clean(String(path[...slash]))))
            default:
                let base = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
                guard let dot = base.lastIndex(of: ".") else { return .scalar(.string("")) }
                return .scalar(.string(String(base[dot...])))
            }
        default:
            throw BuiltinFailure(message: "undefined: path.\(function)")
        }
    }

    /// Go's `path.Clean`: the shortest equivalent slash-separated path.
    static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." { parts.removeLast() } else if !rooted { parts.append(part) }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}
