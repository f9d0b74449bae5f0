/// The members of a JSON object, in insertion order. Objects in manifests are small, so lookups
/// scan linearly, which beats hashing at these sizes; an object that grows past a few dozen keys
/// (a hostile labels map) keeps a hash index too, so that no input makes lookups quadratic.
public struct JSONObject: Sendable, Hashable, Sequence {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue

        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var members: [Member]
    /// Position of each key's first member, kept once the object is large.
    private var positions: [String: Int]?
    private static let indexThreshold = 32

    public init(_ members: [Member] = []) {
        self.members = members
        reindex()
    }

    public init(reservingCapacity capacity: Int) {
        members = []
        members.reserveCapacity(capacity)
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool { lhs.members == rhs.members }
    public func hash(into hasher: inout Hasher) { hasher.combine(members) }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }

    public func index(of key: String) -> Int? {
        if let positions { return positions[key] }
        return members.firstIndex { $0.key == key }
    }

    private mutating func reindex() {
        guard members.count > Self.indexThreshold else { positions = nil; return }
        var positions: [String: Int] = [:]
        positions.reserveCapacity(members.count)
        for (index, member) in members.enumerated() where positions[member.key] == nil {
            positions[member.key] = index
        }
        self.positions = positions
    }

    /// Reading returns the member's value; writing replaces it in place, appends a new key at
    /// the end, or removes the key when given `nil`.
    public subscript(key: String) -> JSONValue? {
        get { index(of: key).map { members[$0].value } }
        set {
            switch (index(of: key), newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil):
                members.remove(at: index)
                if positions != nil { reindex() }
            case (nil, let value?): append(key, value)
            case (nil, nil): break
            }
        }
    }

    public mutating func append(_ key: String, _ value: JSONValue) {
        // Objects in manifests are small: start with room for a few, not one.
        if members.capacity == 0 { members.reserveCapacity(4) }
        members.append(Member(key: key, value: value))
        if positions != nil {
            if positions?[key] == nil { positions?[key] = members.count - 1 }
        } else if members.count > Self.indexThreshold {
            reindex()
        }
    }

    /// Inserts a new member where `order` (a canonical order of keys) puts it: before the first
    /// present key that `order` lists after it, or at the end.
    public mutating func insert(_ key: String, _ value: JSONValue, following order: [String]) {
        guard let rank = order.firstIndex(of: key) else { return append(key, value) }
        insert(key, value, before: Array(order[(rank + 1)...]))
    }

    /// Inserts a new member before the first of `laterKeys` present, or at the end.
    public mutating func insert(_ key: String, _ value: JSONValue, before laterKeys: [String]) {
        let index = members.firstIndex { laterKeys.contains($0.key) } ?? members.endIndex
        members.insert(Member(key: key, value: value), at: index)
        reindex()
    }

    /// Modifies the value of `key` in place, starting from `initial` when the key is missing.
    public mutating func update<Result>(
        _ key: String, default initial: @autoclosure () -> JSONValue,
        _ body: (inout JSONValue) throws -> Result
    ) rethrows -> Result {
        if let index = index(of: key) {
            return try body(&members[index].value)
        }
        var value = initial()
        let result = try body(&value)
        append(key, value)
        return result
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { Member(key: $0.0, value: $0.1) })
    }
}
