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
        }
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
        }
    }

    /// The regular expression of the rule, for the JSON Schema.
    public var pattern: String {
        switch self {
        case .dns1123Label: return "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
        case .dns1123Subdomain: return "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
        case .envVarName: return "^[-._a-zA-Z][-._a-zA-Z0-9]*$"
        case .nonEmpty: return "."
        case .portName: return "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
        case .cronSchedule: return "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(TZ=\\S+ )?\\S+( \\S+){4})$"
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
            if !allowDots && part.count > 63 { return "it must be no more than 63 characters" }
            if allowDots && part.count > 63 { return "each dot-separated part must be no more than 63 characters" }
        }
        return nil
    }
}

/// Kubernetes resource quantities (`100m`, `0.5`, `1Gi`, `1e3`), as `resource.ParseQuantity` accepts them.
public enum Quantity {
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

    public static func violation(in schedule: String) -> String? {
        var text = Substring(schedule)
        if text.hasPrefix("TZ=") || text.hasPrefix("CRON_TZ=") {
            guard let space = text.firstIndex(of: " ") else { return "it names a time zone but no schedule" }
            text = text[text.index(after: space)...]
        }
        if text.hasPrefix("@") {
            return macros.contains(String(text)) ? nil : "it must be one of \(macros.sorted().joined(separator: ", ")) or five fields"
        }
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 5 else { return "it must have five fields (minute hour day-of-month month day-of-week), not \(fields.count)" }
        let allowed = Set("0123456789*/,-?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        for field in fields where !field.allSatisfy(allowed.contains) {
            return "the field '\(field)' must hold numbers, names, '*', '-', ',' or '/'"
        }
        return nil
    }
}
