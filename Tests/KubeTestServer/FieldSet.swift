import TandemJSON

/// A set of field paths, as `managedFields[].fieldsV1` spells it: a trie whose edges are path
/// elements in their serialized form (`f:spec`, `k:{"name":"web"}`, `v:"x"`, `i:0`), each node
/// saying whether its own path is in the set (the `.` entry, or a leaf).
struct FieldSet: Equatable, Sendable {
    var children: [String: FieldSet] = [:]
    var isMember = false

    init() {}

    init(member: Bool) { isMember = member }

    /// No path in the set (the root's own membership does not count).
    var isEmpty: Bool { children.values.allSatisfy { !$0.hasMembers } }

    /// This node or any below it is in the set.
    var hasMembers: Bool { isMember || children.values.contains { $0.hasMembers } }

    mutating func insert(_ path: ArraySlice<String>) {
        guard let first = path.first else { isMember = true; return }
        children[first, default: FieldSet()].insert(path.dropFirst())
    }

    func contains(_ path: ArraySlice<String>) -> Bool {
        guard let first = path.first else { return isMember }
        return children[first]?.contains(path.dropFirst()) ?? false
    }

    func union(_ other: FieldSet) -> FieldSet {
        var result = self
        result.isMember = isMember || other.isMember
        for (token, child) in other.children {
            result.children[token] = (children[token] ?? FieldSet()).union(child)
        }
        return result
    }

    /// The paths of this set that `other` does not hold.
    func subtracting(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(member: isMember && !other.isMember)
        for (token, child) in children {
            let rest = other.children[token].map(child.subtracting) ?? child
            if rest.hasMembers { result.children[token] = rest }
        }
        return result
    }

    func intersection(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(member: isMember && other.isMember)
        for (token, child) in children {
            guard let theirs = other.children[token] else { continue }
            let common = child.intersection(theirs)
            if common.hasMembers { result.children[token] = common }
        }
        return result
    }

    /// The member paths, in the order structured-merge-diff reports them: at each level the
    /// members first, then the children, each by path-element order.
    func paths(prefix: [String] = []) -> [[String]] {
        let ordered = children.keys.sorted(by: FieldSet.elementOrder)
        var result: [[String]] = []
        for token in ordered where children[token]?.isMember == true {
            result.append(prefix + [token])
        }
        for token in ordered {
            guard let child = children[token], !child.children.isEmpty else { continue }
            result.append(contentsOf: child.paths(prefix: prefix + [token]))
        }
        return result
    }

    /// Field names before keys, keys before values, values before indexes; then by text.
    static func elementOrder(_ lhs: String, _ rhs: String) -> Bool {
        func rank(_ token: String) -> Int {
            switch token.first {
            case "f": return 0
            case "k": return 1
            case "v": return 2
            default: return 3
            }
        }
        let (left, right) = (rank(lhs), rank(rhs))
        if left != right { return left < right }
        if left == 3, let a = Int(lhs.dropFirst(2)), let b = Int(rhs.dropFirst(2)) { return a < b }
        return lhs < rhs
    }

    // MARK: - fieldsV1

    /// Reads `fieldsV1`; entries it cannot understand are dropped, as the real server does.
    init(fieldsV1 value: JSONValue) {
        for member in value.object ?? [:] {
            if member.key == "." { isMember = true; continue }
            guard let prefix = member.key.first, "fkvi".contains(prefix), member.key.dropFirst().first == ":" else { continue }
            var child = FieldSet(fieldsV1: member.value)
            if member.value.object?.isEmpty ?? true { child.isMember = true }
            children[member.key] = child
        }
    }

    /// The `fieldsV1` object: `.` first, then the elements in byte order (as Go prints a map).
    var fieldsV1: JSONValue {
        var object = JSONObject()
        for token in children.keys.sorted() {
            guard let child = children[token], child.hasMembers else { continue }
            if child.children.values.contains(where: { $0.hasMembers }) {
                var inner = child.fieldsV1.object ?? [:]
                if child.isMember { inner.insert(".", .object([:]), before: inner.keys) }
                object.append(token, .object(inner))
            } else {
                object.append(token, .object([:]))
            }
        }
        return .object(object)
    }

    // MARK: - Paths as messages print them

    /// `.spec.template.spec.containers[name="web"].image`, as `fieldpath.Path.String()` prints it.
    static func describe(_ path: [String]) -> String {
        path.map(describeElement).joined()
    }

    static func describeElement(_ token: String) -> String {
        let body = String(token.dropFirst(2))
        switch token.first {
        case "f": return "." + body
        case "k":
            guard let object = (try? JSONReader().read(body))?.object else { return "[" + body + "]" }
            let parts = object.map { "\($0.key)=\(JSONWriter.compact($0.value))" }
            return "[" + parts.joined(separator: ",") + "]"
        case "v": return "[=" + body + "]"
        default: return "[" + body + "]"
        }
    }
}
