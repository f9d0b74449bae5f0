/// A node of a parsed YAML document, with the position of its first character.
///
/// Scalars keep their text and style; what they mean (string, number, ...) is decided by the
/// schema that reads them, so `"8080"` and `8080` can be told apart in diagnostics.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    public var position: SourcePosition
    /// The explicit tag, if the document wrote one (`!!str`, `!custom`).
    public var tag: String?

    public init(_ content: Content, at position: SourcePosition, tag: String? = nil) {
        self.content = content
        self.position = position
        self.tag = tag
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The pair whose key is the plain string `key`.
    public func pair(_ key: String) -> YAMLPair? {
        mapping?.first { $0.key.scalar?.text == key }
    }

    /// The value under the string key `key` of a mapping.
    public subscript(key: String) -> YAMLNode? { pair(key)?.value }

    /// The item at `index` of a sequence.
    public subscript(index: Int) -> YAMLNode? {
        guard let items = sequence, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// Whether this is a null scalar (`~`, `null`, or nothing at all).
    public var isNull: Bool {
        guard let scalar else { return false }
        if tag == nil, scalar.style == .plain {
            switch scalar.text {
            case "", "~", "null", "Null", "NULL": return true
            default: return false
            }
        }
        return resolved == .null
    }

    /// The scalar's meaning under the YAML 1.2 core schema, honouring an explicit `!!str` tag.
    public var resolved: ResolvedScalar? {
        guard let scalar else { return nil }
        switch tag {
        case "tag:yaml.org,2002:str", "!": return .string(scalar.text)
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool":
            // An explicit type: resolve the text as if it were plain, whatever its quotes.
            let resolved = ResolvedScalar.resolvePlain(scalar.text)
            switch (tag, resolved) {
            case ("tag:yaml.org,2002:int", .int), ("tag:yaml.org,2002:int", .integerOverflow),
                 ("tag:yaml.org,2002:float", .double), ("tag:yaml.org,2002:bool", .bool):
                return resolved
            case ("tag:yaml.org,2002:float", .int(let value)):
                return .double(Double(value))
            default:
                return .string(scalar.text)  // the schema then reports the type it expected
            }
        default:
            return scalar.style == .plain ? ResolvedScalar.resolvePlain(scalar.text) : .string(scalar.text)
        }
    }

    /// A word for the kind of value this node holds, for messages: "a mapping", "an integer", ...
    public var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar: return resolved?.kindDescription ?? "a scalar"
        }
    }

    /// The node at `path` below this one, or `nil` when the document has nothing there.
    public func node(at path: FieldPath) -> YAMLNode? {
        var current = self
        for component in path.components {
            switch component {
            case .key(let key): guard let next = current[key] else { return nil }; current = next
            case .index(let index): guard let next = current[index] else { return nil }; current = next
            }
        }
        return current
    }

    /// The position of the deepest node that exists along `path`; for a missing key that is the
    /// mapping which lacks it.
    public func position(of path: FieldPath) -> SourcePosition {
        var current = self
        for component in path.components {
            let next: YAMLNode?
            switch component {
            case .key(let key): next = current[key]
            case .index(let index): next = current[index]
            }
            guard let next else { break }
            current = next
        }
        return current.position
    }
}

public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

public struct YAMLScalar: Sendable {
    public enum Style: Sendable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// What a scalar means.
public enum ResolvedScalar: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    /// An integer literal too large for 64 bits.
    case integerOverflow(String)

    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .integerOverflow: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        }
    }

    /// Resolves an unquoted scalar by the YAML 1.2 core schema: `null`/`~`/empty, `true`/`false`,
    /// decimal, octal (`0o`) and hexadecimal (`0x`) integers, floats, `.inf`, `.nan`; else a string.
    public static func resolvePlain(_ text: String) -> ResolvedScalar {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        guard let first = text.utf8.first,
              first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return .string(text) }
        if let integer = resolveInteger(text) { return integer }
        if isFloat(text), let value = Double(text) { return .double(value) }
        return .string(text)
    }

    private static func resolveInteger(_ text: String) -> ResolvedScalar? {
        var digits = Substring(text)
        var radix = 10
        if digits.hasPrefix("0x") { digits = digits.dropFirst(2); radix = 16 }
        else if digits.hasPrefix("0o") { digits = digits.dropFirst(2); radix = 8 }
        else if radix == 10, digits.first == "-" || digits.first == "+" {
            let unsigned = digits.dropFirst()
            guard !unsigned.isEmpty, unsigned.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
            return Int(text).map(ResolvedScalar.int) ?? .integerOverflow(text)
        }
        let valid: (UInt8) -> Bool = radix == 16
            ? { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
            : radix == 8 ? { (48...55).contains($0) } : { (48...57).contains($0) }
        guard !digits.isEmpty, digits.utf8.allSatisfy(valid) else { return nil }
        return Int(digits, radix: radix).map(ResolvedScalar.int) ?? .integerOverflow(text)
    }

    /// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
    private static func isFloat(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        func digitRun() -> Int {
            let count = bytes.prefix { (48...57).contains($0) }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        let integerDigits = digitRun()
        var fractionDigits = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fractionDigits = digitRun()
        }
        guard integerDigits + fractionDigits > 0 else { return false }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard digitRun() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
