/// The label of an arc.
enum Label: Hashable, CustomStringConvertible {
    case root
    case field(String)  // regular field, also quoted ones
    case definition(String)  // #Name and _#Name
    case hidden(String)  // _name
    case index(Int)
    case detached  // a value with no place in the tree (a let, an expression's struct)

    init(name: String) {
        if name.hasPrefix("#") || name.hasPrefix("_#") {
            self = .definition(name)
        } else if name.hasPrefix("_") {
            self = .hidden(name)
        } else {
            self = .field(name)
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
