import TandemJSON

/// Where each value of a parsed document was written, for diagnostics: its line and column, its
/// key's, and how a scalar was written (quoted or not, its text when that differs from the value).
///
/// Nodes are stored in document order — a value, then its members or items — so the members of a
/// value are found by walking its JSON value beside it: the n-th member of an object is its n-th
/// child node. A document read from the API server as JSON has no source map; its diagnostics
/// carry paths without lines.
public final class SourceMap: Sendable {
    public let file: String
    /// The document as parsed: the map's nodes follow its members in order.
    public let root: JSONValue
    let nodes: [Node]
    /// The text of scalars whose value does not show how they were written (numbers, booleans,
    /// nulls, tagged values), by node index, in increasing order.
    let texts: [(node: Int32, text: String)]

    public struct Node: Sendable {
        var line: Int32
        var column: Int32
        /// The position of the key, for a member of a mapping; 0 otherwise.
        var keyLine: Int32
        var keyColumn: Int32
        /// This node and all below it.
        public private(set) var size: Int32
        public var flags: Flags

        package init(position: SourcePosition, key: SourcePosition?, flags: Flags) {
            line = Int32(clamping: position.line)
            column = Int32(clamping: position.column)
            keyLine = Int32(clamping: key?.line ?? 0)
            keyColumn = Int32(clamping: key?.column ?? 0)
            size = 1
            self.flags = flags
        }

        public var position: SourcePosition { SourcePosition(line: Int(line), column: Int(column)) }
        public var keyPosition: SourcePosition? {
            keyLine == 0 ? nil : SourcePosition(line: Int(keyLine), column: Int(keyColumn))
        }
        package mutating func setSize(_ size: Int) { self.size = Int32(clamping: size) }
        package mutating func move(to position: SourcePosition, key: SourcePosition?) {
            line = Int32(clamping: position.line)
            column = Int32(clamping: position.column)
            keyLine = Int32(clamping: key?.line ?? 0)
            keyColumn = Int32(clamping: key?.column ?? 0)
        }
    }

    /// How a scalar was written.
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Written in quotes or as a block: a string whatever it looks like.
        public static let quoted = Flags(rawValue: 1 << 0)
        /// A plain integer with a leading zero (`0400`): octal to YAML 1.1, decimal to YAML 1.2.
        public static let ambiguousOctal = Flags(rawValue: 1 << 1)
        /// An integer too large for 64 bits, kept as a double.
        public static let integerOverflow = Flags(rawValue: 1 << 2)
        /// A scalar (not a mapping or list).
        public static let scalar = Flags(rawValue: 1 << 3)
    }

    package init(file: String, root: JSONValue, nodes: [Node], texts: [(node: Int32, text: String)]) {
        self.file = file
        self.root = root
        self.nodes = nodes
        self.texts = texts
    }

    public var rootNode: Int? { nodes.isEmpty ? nil : 0 }

    public func node(_ index: Int) -> Node { nodes[index] }

    /// The first member or item of the node at `index`.
    public func firstChild(of index: Int) -> Int { index + 1 }

    /// The node after the node at `index` and everything below it.
    public func nextSibling(of index: Int) -> Int { index + Int(nodes[index].size) }

    /// The node of the `offset`-th member or item of the node at `index`.
    public func child(of index: Int, at offset: Int) -> Int? {
        var child = index + 1
        let end = index + Int(nodes[index].size)
        for _ in 0..<offset {
            child = nextSibling(of: child)
            if child >= end { return nil }
        }
        return child < end ? child : nil
    }

    /// The text of the scalar at `index` as written, when it is not a plain string.
    public func writtenText(of index: Int) -> String? {
        var low = 0, high = texts.count
        while low < high {
            let middle = (low + high) / 2
            if texts[middle].node < index { low = middle + 1 } else { high = middle }
        }
        return low < texts.count && texts[low].node == index ? texts[low].text : nil
    }

    /// The node of the value at `path`, or nil when the document has nothing there.
    public func node(at path: FieldPath) -> Int? {
        let (index, depth) = deepest(path)
        return depth == path.components.count ? index : nil
    }

    /// The position of the value at `path`, or of the closest enclosing value that exists: for a
    /// missing key, the mapping that lacks it.
    public func position(of path: FieldPath) -> SourcePosition {
        guard let index = deepest(path).index else { return SourcePosition(line: 1, column: 1) }
        return nodes[index].position
    }

    /// The position of the key of the member at `path`, when there is one.
    public func keyPosition(of path: FieldPath) -> SourcePosition? {
        node(at: path).flatMap { nodes[$0].keyPosition }
    }

    /// The deepest node along `path` and how many components it consumed.
    private func deepest(_ path: FieldPath) -> (index: Int?, depth: Int) {
        guard !nodes.isEmpty else { return (nil, 0) }
        var index = 0
        var value = root
        for (depth, component) in path.components.enumerated() {
            let offset: Int
            switch (component, value) {
            case (.key(let key), .object(let object)):
                guard let found = object.index(of: key) else { return (index, depth) }
                offset = found
                value = object.members[found].value
            case (.index(let position), .array(let items)):
                guard items.indices.contains(position) else { return (index, depth) }
                offset = position
                value = items[position]
            default:
                return (index, depth)
            }
            guard let child = child(of: index, at: offset) else { return (index, depth) }
            index = child
        }
        return (index, path.components.count)
    }

    /// The path of the node at `target`, found by walking the document.
    public func path(ofNode target: Int) -> FieldPath {
        var components: [FieldPath.Component] = []
        var index = 0
        var value = root
        while index != target {
            var child = index + 1
            var found = false
            switch value {
            case .object(let object):
                for member in object.members {
                    let next = nextSibling(of: child)
                    if target < next { components.append(.key(member.key)); value = member.value; found = true; break }
                    child = next
                }
            case .array(let items):
                for (position, item) in items.enumerated() {
                    let next = nextSibling(of: child)
                    if target < next { components.append(.index(position)); value = item; found = true; break }
                    child = next
                }
            default:
                break
            }
            guard found else { break }
            index = child
        }
        return FieldPath(components)
    }
}
