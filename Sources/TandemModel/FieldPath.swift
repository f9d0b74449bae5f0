/// Where a value sits in a document: `components[0].traits[1].properties.image`.
///
/// Paths below `spec` are printed without the `spec.` prefix, as users read them.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    public enum Component: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case key(String)
        case index(Int)

        public init(stringLiteral value: String) { self = .key(value) }
        public init(integerLiteral value: Int) { self = .index(value) }
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }
    public init(arrayLiteral elements: Component...) { self.components = elements }

    public static let root = FieldPath()

    public func appending(_ component: Component) -> FieldPath {
        FieldPath(components + [component])
    }

    public func appending(_ other: FieldPath) -> FieldPath {
        FieldPath(components + other.components)
    }

    public static func / (path: FieldPath, key: String) -> FieldPath { path.appending(.key(key)) }
    public static func / (path: FieldPath, index: Int) -> FieldPath { path.appending(.index(index)) }
    public static func / (path: FieldPath, other: FieldPath) -> FieldPath { path.appending(other) }

    public var isEmpty: Bool { components.isEmpty }

    public var description: String {
        var shown = components[...]
        if shown.count > 1, shown.first == .key("spec") { shown = shown.dropFirst() }
        var text = ""
        for component in shown {
            switch component {
            case .index(let index):
                text += "[\(index)]"
            case .key(let key) where key.utf8.count > 64:
                text += "[\"\(key.prefix(40))...\"]"
            case .key(let key) where FieldPath.isPlainKey(key):
                text += text.isEmpty ? key : "." + key
            case .key(let key):
                text += "[\"\(key)\"]"
            }
        }
        return text
    }

    private static func isPlainKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return key.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }
}
