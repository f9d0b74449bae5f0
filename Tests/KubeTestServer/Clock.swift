import Foundation

/// Times as the API server writes them: RFC 3339 in UTC, to the second (`metav1.Time`).
enum Timestamp {
    static func string(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return padded(Int(parts.tm_year) + 1900, 4) + "-" + padded(Int(parts.tm_mon) + 1, 2) + "-" + padded(Int(parts.tm_mday), 2)
            + "T" + padded(Int(parts.tm_hour), 2) + ":" + padded(Int(parts.tm_min), 2) + ":" + padded(Int(parts.tm_sec), 2) + "Z"
    }

    static var now: String { string(Date()) }

    /// `metav1.MicroTime`, for the fields that carry microseconds (event series, leases).
    static func micro(_ date: Date) -> String {
        let base = string(date).dropLast()
        let micros = Int((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1_000_000)
        return base + "." + padded(micros, 6) + "Z"
    }
}

/// `value` with leading zeros up to `width` digits, in decimal or (`radix: 16`) lowercase
/// hexadecimal (String(format:) costs more than the rest of a simulated write).
func padded<Value: BinaryInteger>(_ value: Value, _ width: Int, radix: Int = 10) -> String {
    let digits = String(value, radix: radix)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// Random names in the alphabet Kubernetes uses for generated suffixes (no vowels, no look-alikes).
enum NameSuffix {
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func random(_ length: Int = 5) -> String {
        String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    /// `rand.SafeEncodeString(fmt.Sprint(hash))`: how controllers turn a template hash into a label value.
    static func encode(_ hash: UInt32) -> String {
        String(String(hash).utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    /// FNV-1a over the compact JSON of a value: a stable hash of a pod template.
    static func hash(_ text: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return hash
    }
}

/// A random version-4 UUID, lowercase, as `metadata.uid` carries.
func makeUID() -> String { UUID().uuidString.lowercased() }
