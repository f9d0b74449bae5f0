/// Syntactic rules for string values, as Kubernetes checks them at apply time.
public enum StringFormat: String, Sendable, CaseIterable {
    /// RFC 1123 label: at most 63 lowercase alphanumerics or '-', starting and ending alphanumeric.
    case dns1123Label
    /// RFC 1123 subdomain: at most 253 characters of dot-separated labels.
    case dns1123Subdomain
    /// An environment variable name: letters, digits, '_', '-', '.', not starting with a digit.
    case envVarName
    /// A non-empty string.
    case nonEmpty
    /// A container port name (IANA_SVC_NAME).
    case portName
    /// A cron schedule: five fields, or a macro such as @hourly.
    case cronSchedule
    /// A label or annotation key: an optional DNS-subdomain prefix and '/', then a name of at most
    /// 63 letters, digits, '-', '_' and '.', starting and ending alphanumeric.
    case labelKey
    /// A key of a ConfigMap or Secret: letters, digits, '-', '_' and '.'.
    case dataKey
    /// A label value: empty, or at most 63 letters, digits, '-', '_' and '.', starting and ending alphanumeric.
    case labelValue
    /// Standard base64 (a Secret's `data`).
    case base64
    /// A path from the root of a file system or URL: it starts with '/'.
    case absolutePath
    /// An RFC 6901 JSON Pointer: empty (the whole document) or starting with '/'.
    case jsonPointer
    /// An Ingress host: a DNS-1123 subdomain, optionally a wildcard (`*.example.com`).
    case hostName

    /// Why `value` breaks the rule, as a clause ("it must ..."), or `nil` when it does not.
    public func violation(in value: String) -> String? {
        switch self {
        case .dns1123Label:
            return StringFormat.labelViolation(value, limit: 63, allowDots: false)
        case .dns1123Subdomain:
            return StringFormat.labelViolation(value, limit: 253, allowDots: true)
        case .envVarName:
            guard let first = value.utf8.first else { return "it must not be empty" }
            if (48...57).contains(first) { return "it must not start with a digit" }
            let valid = value.utf8.allSatisfy { byte in
                StringFormat.isLowerAlnum(byte) || (65...90).contains(byte) || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            }
            return valid ? nil : "it must consist of letters, digits, '_', '-' or '.'"
        case .nonEmpty:
            return value.isEmpty ? "it must not be empty" : nil
        case .portName:
            return PortName.violation(in: value)
        case .cronSchedule:
            return CronSchedule.violation(in: value)
        case .labelKey:
            let parts = value.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return "it may contain at most one '/'" }
            if parts.count == 2, let problem = StringFormat.labelViolation(String(parts[0]), limit: 253, allowDots: true) {
                return "its prefix: " + problem.replacing("it must", with: "must")
            }
            guard let name = parts.last, !name.isEmpty else { return "it needs a name after the prefix" }
            return StringFormat.qualifiedNameViolation(name)
        case .labelValue:
            return value.isEmpty ? nil : StringFormat.qualifiedNameViolation(Substring(value))
        case .absolutePath:
            return value.hasPrefix("/") ? nil : "it must start with '/'"
        case .jsonPointer:
            return value.isEmpty || value.hasPrefix("/") ? nil : "it must be empty (the whole object) or start with '/'"
        case .hostName:
            let name = value.hasPrefix("*.") ? String(value.dropFirst(2)) : value
            return StringFormat.labelViolation(name, limit: 253, allowDots: true)
        case .base64:
            let bytes = value.utf8
            let body = bytes.prefix { $0 != UInt8(ascii: "=") }
            let valid = body.allSatisfy { StringFormat.isLowerAlnum($0) || (65...90).contains($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/") }
                && bytes.dropFirst(body.count).allSatisfy { $0 == UInt8(ascii: "=") } && bytes.count % 4 == 0
            return valid ? nil : "it must be base64 (letters, digits, '+', '/', padded with '=' to a multiple of 4); put plain text under stringData"
        case .dataKey:
            if value.isEmpty || value.utf8.count > 253 { return "it must be 1 to 253 characters" }
            let valid = value.utf8.allSatisfy { StringFormat.isLowerAlnum($0) || (65...90).contains($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
            return valid ? nil : "it must consist of letters, digits, '-', '_' and '.'"
        }
    }

    /// Label names and values: at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends.
    static func qualifiedNameViolation(_ name: Substring) -> String? {
        let bytes = name.utf8
        if bytes.count > 63 { return "it must be no more than 63 characters" }
        let isAlnum: (UInt8) -> Bool = { isLowerAlnum($0) || (65...90).contains($0) }
        if !bytes.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }) {
            return "it must consist of letters, digits, '-', '_' and '.'"
        }
        if let first = bytes.first, let last = bytes.last, !isAlnum(first) || !isAlnum(last) {
            return "it must start and end with a letter or digit"
        }
        return nil
    }

    /// A name for the rule in messages and docs.
    public var summary: String {
        switch self {
        case .dns1123Label: return "a valid DNS-1123 label"
        case .dns1123Subdomain: return "a valid DNS-1123 subdomain"
        case .envVarName: return "an environment variable name"
        case .nonEmpty: return "a non-empty string"
        case .portName: return "a valid port name"
        case .cronSchedule: return "a valid cron schedule"
        case .labelKey: return "a valid label key"
        case .labelValue: return "a valid label value"
        case .dataKey: return "a valid ConfigMap or Secret key"
        case .base64: return "base64"
        case .absolutePath: return "an absolute path"
        case .jsonPointer: return "a JSON Pointer"
        case .hostName: return "a host name (a DNS-1123 subdomain, optionally starting with '*.')"
        }
    }

    /// The regular expression of the rule, for the JSON Schema.
    public var pattern: String {
        switch self {
        case .dns1123Label: return "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
        case .dns1123Subdomain: return "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
        case .envVarName: return "^[-._a-zA-Z][-._a-zA-Z0-9]*$"
        case .nonEmpty: return "."
        case .portName: return "^(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
        case .cronSchedule: return "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|\\S+( \\S+){4})$"
        case .labelKey: return "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$"
        case .labelValue: return "^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$"
        case .dataKey: return "^[-._a-zA-Z0-9]+$"
        case .base64: return "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
        case .absolutePath: return "^/"
        case .jsonPointer: return "^(/.*)?$"
        case .hostName: return "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
        }
    }

    static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (97...122).contains(byte) || (48...57).contains(byte)
    }

    static func labelViolation(_ value: String, limit: Int, allowDots: Bool) -> String? {
        let bytes = value.utf8
        if bytes.isEmpty { return "it must not be empty" }
        if bytes.count > limit { return "it must be no more than \(limit) characters" }
        let dot = UInt8(ascii: "."), dash = UInt8(ascii: "-")
        if !bytes.allSatisfy({ isLowerAlnum($0) || $0 == dash || (allowDots && $0 == dot) }) {
            return allowDots ? "it must consist of lowercase letters, digits, '-' and '.'" : "it must consist of lowercase letters, digits and '-'"
        }
        for part in bytes.split(separator: dot, omittingEmptySubsequences: false) {
            guard let first = part.first, let last = part.last else { return "it must not have empty parts between dots" }
            if !isLowerAlnum(first) || !isLowerAlnum(last) {
                return allowDots ? "each dot-separated part must start and end with a lowercase letter or digit"
                    : "it must start and end with a lowercase letter or digit"
            }
        }
        return nil
    }
}

/// Kubernetes resource quantities (`100m`, `0.5`, `1Gi`, `1e3`), as `resource.ParseQuantity` accepts them.
public enum Quantity {
    /// The amount a valid quantity stands for (cores, bytes), for comparing two of them.
    public static func amount(_ text: String) -> Double? {
        guard isValid(text) else { return nil }
        let suffixes: [(String, Double)] = [("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
                                            ("Pi", 1_125_899_906_842_624), ("Ei", 1_152_921_504_606_846_976), ("n", 1e-9), ("u", 1e-6),
                                            ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18)]
        for (suffix, factor) in suffixes where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * factor }
        }
        return Double(text)
    }

    /// Whether `text` is a valid, non-negative quantity.
    public static func isValid(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let integerDigits = bytes.prefix { (48...57).contains($0) }.count
        bytes = bytes.dropFirst(integerDigits)
        var fractionDigits = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fractionDigits = bytes.prefix { (48...57).contains($0) }.count
            bytes = bytes.dropFirst(fractionDigits)
        }
        guard integerDigits + fractionDigits > 0 else { return false }
        let suffix = String(decoding: bytes, as: UTF8.self)
        switch suffix {
        case "", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei":
            return true
        default:
            var exponent = suffix.utf8[...]
            guard let e = exponent.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") else { return false }
            exponent = exponent.dropFirst()
            if let sign = exponent.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                exponent = exponent.dropFirst()
            }
            return !exponent.isEmpty && exponent.allSatisfy { (48...57).contains($0) }
        }
    }
}

/// Named container ports (IANA_SVC_NAME): 1 to 15 lowercase letters, digits and '-', with at least one letter.
public enum PortName {
    public static func violation(in name: String) -> String? {
        let bytes = name.utf8
        if bytes.isEmpty || bytes.count > 15 { return "it must be 1 to 15 characters" }
        if !bytes.allSatisfy({ StringFormat.isLowerAlnum($0) || $0 == UInt8(ascii: "-") }) {
            return "it must consist of lowercase letters, digits and '-'"
        }
        if !bytes.contains(where: { (97...122).contains($0) }) { return "it must contain a letter" }
        if name.hasPrefix("-") || name.hasSuffix("-") || name.contains("--") {
            return "it must not start or end with '-' or contain '--'"
        }
        return nil
    }
}

/// Cron schedules as CronJobs take them: five fields (minute hour day-of-month month
/// day-of-week) of numbers, names, `*`, ranges, lists and steps, or a macro.
public enum CronSchedule {
    static let macros: Set<String> = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]
    static let fields: [(name: String, range: ClosedRange<Int>, names: [String])] = [
        ("minute", 0...59, []), ("hour", 0...23, []), ("day-of-month", 1...31, []),
        ("month", 1...12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        ("day-of-week", 0...7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ]

    public static func violation(in schedule: String) -> String? {
        if schedule.hasPrefix("TZ=") || schedule.hasPrefix("CRON_TZ=") {
            return "time zones are not allowed in the schedule since Kubernetes 1.27; CronJobs take spec.timeZone"
        }
        if schedule.hasPrefix("@") {
            return macros.contains(schedule) ? nil : "it must be one of \(macros.sorted().joined(separator: ", ")) or five fields"
        }
        let parts = schedule.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 5 else { return "it must have five fields (minute hour day-of-month month day-of-week), not \(parts.count)" }
        for (part, field) in zip(parts, fields) {
            for item in part.split(separator: ",", omittingEmptySubsequences: false) {
                let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
                guard (1...2).contains(pieces.count) else { return "the \(field.name) field '\(part)' is malformed" }
                if pieces.count == 2, Int(pieces[1]).map({ $0 < 1 }) ?? true {
                    return "the step in the \(field.name) field '\(part)' must be a positive number"
                }
                if pieces[0] == "*" || (pieces[0] == "?" && field.range.upperBound != 59) { continue }
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard (1...2).contains(bounds.count) else { return "the \(field.name) field '\(part)' is malformed" }
                for bound in bounds {
                    let value = Int(bound) ?? field.names.firstIndex(of: bound.uppercased()).map { $0 + field.range.lowerBound }
                    guard let value, field.range.contains(value) else {
                        return "the \(field.name) field '\(part)' must hold values from \(field.range.lowerBound) to \(field.range.upperBound)"
                    }
                }
            }
        }
        return nil
    }
}
