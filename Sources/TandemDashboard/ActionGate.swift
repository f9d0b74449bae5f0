/// Decides whether a request may change something: only when the dashboard was started with
/// `--allow-actions`, and only with the token it printed then.
public struct ActionGate: Sendable {
    public static let header = "X-Tandem-Token"
    public static let disabled = "actions are disabled; start tandem dashboard with --allow-actions"
    public static let refused = "missing or wrong actions token"

    var token: String?

    /// A one-time token: 32 letters and digits from the system's secure generator.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        return String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }

    /// Nil when allowed; otherwise why not.
    func refusal(presented: String?) -> String? {
        guard let token else { return Self.disabled }
        guard let presented, Self.equalInConstantTime(Array(presented.utf8), Array(token.utf8)) else { return Self.refused }
        return nil
    }

    /// Compares without stopping at the first difference, so the time taken does not tell
    /// how much of a guess was right.
    static func equalInConstantTime(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
