/// The label of an arc.
enum Label: Hashable, CustomStringConvertible {
    case root
    case field(String)  // regular field, also quoted ones
    case definition(String)  // #Name and _#Name
    case hidden(String)  // _name
    case index(Int)
    case detached  // a value with no place in the tree (a let, an expression's struct)

    init(name: String) {
        // On bytes: labels are made for every field and reference evaluated.
        var bytes = name.utf8.makeIterator()
        switch (bytes.next(), bytes.next()) {
        case (UInt8(ascii: "#")?, _), (UInt8(ascii: "_")?, UInt8(ascii: "#")?): self = .definition(name)
        case (UInt8(ascii: "_")?, _): self = .hidden(name)
        default: self = .field(name)
        }
    }

    var isRoot: Bool {
        if case .root = self { return true }
        return false
    }

    var isRegular: Bool {
        switch self {
        case .field, .index: return true
        default: return false
        }
    }

    var description: String {
        switch self {
        case .root: return ""
        case .field(let name), .definition(let name), .hidden(let name): return name
        case .index(let index): return String(index)
        case .detached: return "_"
        }
    }
}
