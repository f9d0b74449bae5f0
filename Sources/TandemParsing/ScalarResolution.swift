import TandemJSON
import TandemModel

/// What a YAML scalar means, by the YAML 1.2 core schema, honouring explicit `!!str`, `!!int`,
/// `!!float`, `!!bool` and `!!null` tags.
public enum ResolvedScalar: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    /// An integer literal too large for 64 bits.
    case integerOverflow(String)

    /// Resolves a scalar written with `style` and `tag`.
    static func resolve(_ text: String, quoted: Bool, tag: String?) -> ResolvedScalar {
        guard let tag else { return quoted ? .string(text) : resolvePlain(text) }
        switch tag {
        case "tag:yaml.org,2002:str", "!": return .string(text)
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool":
            // An explicit type: resolve the text as if it were plain, whatever its quotes.
            let resolved = resolvePlain(text)
            switch (tag, resolved) {
            case ("tag:yaml.org,2002:int", .int), ("tag:yaml.org,2002:int", .integerOverflow),
                 ("tag:yaml.org,2002:float", .double), ("tag:yaml.org,2002:bool", .bool):
                return resolved
            case ("tag:yaml.org,2002:float", .int(let value)):
                return .double(Double(value))
            default:
                return .string(text)  // the reader reports the mismatch; the schema the type it expected
            }
        default:
            return quoted ? .string(text) : resolvePlain(text)
        }
    }

    /// Resolves an unquoted scalar by the YAML 1.2 core schema: `null`/`~`/empty, `true`/`false`,
    /// decimal, octal (`0o`) and hexadecimal (`0x`) integers, floats, `.inf`, `.nan`; else a string.
    public static func resolvePlain(_ text: String) -> ResolvedScalar {
        let utf8 = text.utf8
        guard let lead = utf8.first else { return .null }
        let isNumberStart = lead == UInt8(ascii: ".") || lead == UInt8(ascii: "+") || lead == UInt8(ascii: "-")
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(lead)
        // The words below are at most five characters long, and only numbers start with a digit or sign.
        guard utf8.count <= 5 || isNumberStart else { return .string(text) }
        switch lead {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"),
             UInt8(ascii: "F"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"):
            switch text {
            case "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
            case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
            case ".nan", ".NaN", ".NAN": return .double(.nan)
            default: break
            }
        default:
            break
        }
        guard isNumberStart else { return .string(text) }
        if let integer = resolveInteger(text) { return integer }
        if isFloat(text), let value = Double(text) { return .double(value) }
        return .string(text)
    }

    private static func resolveInteger(_ text: String) -> ResolvedScalar? {
        var digits = Substring(text)
        var radix = 10
        if digits.hasPrefix("0x") { digits = digits.dropFirst(2); radix = 16 }
        else if digits.hasPrefix("0o") { digits = digits.dropFirst(2); radix = 8 }
        else if digits.first == "-" || digits.first == "+" {
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

    /// The JSON value, how the source map marks it, and whether its text must be kept to show it
    /// as written (anything that is not a plain string).
    var json: (value: JSONValue, flags: SourceMap.Flags, keepsText: Bool) {
        switch self {
        case .null: return (.null, [], true)
        case .bool(let flag): return (.bool(flag), [], true)
        case .int(let number): return (.int(number), [], true)
        case .double(let number): return (.double(number), [], true)
        case .string(let text): return (.string(text), [], false)
        case .integerOverflow(let text): return (.double(Double(text) ?? 0), .integerOverflow, true)
        }
    }
}
