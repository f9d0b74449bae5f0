import TandemJSON

/// A concrete basic value.
enum CUEScalar: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])

    var kind: CUEKind {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .float: return .float
        case .string: return .string
        case .bytes: return .bytes
        }
    }

    /// The value as CUE writes it in messages: strings quoted.
    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .float(let value): return Self.format(value)
        case .string(let value):
            var quoted = ""
            JSONWriter.appendQuoted(value, into: &quoted)
            return quoted
        case .bytes(let value): return "'" + String(decoding: value, as: UTF8.self) + "'"
        }
    }

    /// The value as interpolated into a string: strings as they are.
    var interpolated: String {
        switch self {
        case .string(let value): return value
        case .bytes(let value): return String(decoding: value, as: UTF8.self)
        default: return description
        }
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e21 { return String(format0: value) }
        return "\(value)"
    }

    var json: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .int(let value): return .int(value)
        case .float(let value): return .double(value)
        case .string(let value): return .string(value)
        case .bytes(let value): return .string(Base64Codec.encode(value))
        }
    }

    var number: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .float(let value): return value
        default: return nil
        }
    }

    /// Ordering for bounds and `<`: numbers with numbers, strings with strings, bytes with bytes.
    func compare(to other: CUEScalar) -> Int? {
        switch (self, other) {
        case (.int(let a), .int(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a), .string(let b)): return a < b ? -1 : (a == b ? 0 : 1)
        case (.bytes(let a), .bytes(let b)): return a.lexicographicallyPrecedes(b) ? -1 : (a == b ? 0 : 1)
        default:
            guard let a = number, let b = other.number else { return nil }
            return a < b ? -1 : (a == b ? 0 : 1)
        }
    }
}

extension String {
    /// An integral double written with one decimal, as CUE writes floats (`2.0`).
    init(format0 value: Double) {
        if let integer = Int(exactly: value) { self = String(integer) + ".0" } else { self = "\(value)" }
    }
}
