/// `struct.MinFields(n)` or `struct.MaxFields(n)`: a bound on the number of regular fields.
struct Validator: Hashable {
    enum Kind: String { case minFields = "struct.MinFields", maxFields = "struct.MaxFields" }

    var kind: Kind
    var count: Int
    var position: CUEPosition

    var description: String { "\(kind.rawValue)(\(count))" }

    func admits(fieldCount: Int) -> Bool {
        kind == .minFields ? fieldCount >= count : fieldCount <= count
    }
}
