/// The kinds of CUE values, as a set: a type like `number` is `int | float`.
struct CUEKind: OptionSet, Hashable, Sendable {
    let rawValue: UInt8
    static let null = CUEKind(rawValue: 1 << 0)
    static let bool = CUEKind(rawValue: 1 << 1)
    static let int = CUEKind(rawValue: 1 << 2)
    static let float = CUEKind(rawValue: 1 << 3)
    static let string = CUEKind(rawValue: 1 << 4)
    static let bytes = CUEKind(rawValue: 1 << 5)
    static let structure = CUEKind(rawValue: 1 << 6)
    static let list = CUEKind(rawValue: 1 << 7)
    static let number: CUEKind = [.int, .float]
    static let all = CUEKind(rawValue: 0xFF)

    /// The name CUE uses in messages (`int`, `string`, `number`, `int|string`).
    var name: String {
        if self == .number { return "number" }
        if self == .all { return "_" }
        let names: [(CUEKind, String)] = [(.null, "null"), (.bool, "bool"), (.int, "int"), (.float, "float"),
                                          (.string, "string"), (.bytes, "bytes"), (.structure, "struct"), (.list, "list")]
        return names.filter { contains($0.0) }.map(\.1).joined(separator: "|")
    }
}
