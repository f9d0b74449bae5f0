/// Durations as KubeVela (Go's `time.ParseDuration`) writes them: `30s`, `1m30s`, `1.5h`, `300ms`.
enum GoDuration {
    static let units: [(suffix: String, nanoseconds: Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// nil when `text` is not such a duration.
    static func parse(_ text: String) -> Duration? {
        var rest = Substring(text)
        var negative = false
        if rest.first == "-" || rest.first == "+" {
            negative = rest.first == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return .zero }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", let amount = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            // The longest unit that matches: "ms" before "m".
            guard let unit = units.filter({ rest.hasPrefix($0.suffix) }).max(by: { $0.suffix.count < $1.suffix.count }) else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            total += amount * unit.nanoseconds
        }
        guard total < 9.2e18 else { return nil }
        return .nanoseconds(Int64((negative ? -total : total).rounded()))
    }
}
