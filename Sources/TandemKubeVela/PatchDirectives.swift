import Foundation
import TandemCUE
import TandemJSON

/// The `// +patchKey=` and `// +patchStrategy=` comments of a trait's `patch`, by place: KubeVela
/// reads them from the template's fields to decide how each part of the patch merges.
struct PatchDirectives: Sendable {
    /// How a value merges into what is there.
    enum Strategy: String, Sendable {
        /// Objects merge field by field; only the patch's fields are kept.
        case retainKeys
        /// The patch's value replaces what is there.
        case replace
        /// RFC 7386 JSON Merge Patch.
        case jsonMergePatch
        /// RFC 6902 operations (`operations: [...]`) on what is there.
        case jsonPatch

        /// Whether the strategy is about one field, not the whole patch.
        static func pushesDown(_ strategy: Strategy) -> Bool { strategy == .retainKeys || strategy == .replace }
    }

    var patchKey: String?
    var strategy: Strategy?
    /// For an open list's element constraint (`[...{lifecycle: ...}]`): the value every element
    /// of the list patched is merged with.
    var eachElement: JSONValue?
    var fields: [String: PatchDirectives] = [:]
    /// Directives for every element of a list (held in an array: a struct cannot hold itself).
    private var elementStorage: [PatchDirectives] = []
    var element: PatchDirectives? {
        get { elementStorage.first }
        set { elementStorage = newValue.map { [$0] } ?? [] }
    }

    static let maxDepth = 64

    /// No directive here or below: merging treats it as no entry at all.
    var isEmpty: Bool {
        patchKey == nil && strategy == nil && eachElement == nil && fields.isEmpty && elementStorage.isEmpty
    }

    /// The directives of `value`'s fields (and of its list elements), read from their comments.
    static func read(_ value: CUEValue, comments: [String] = [], depth: Int = 0) -> PatchDirectives {
        var directives = PatchDirectives()
        directives.apply(comments)
        guard depth < maxDepth else { return directives }
        // `// +patchKey=name` above `spec: template: spec: containers: [...]` speaks of the
        // innermost field of the shorthand (`containers`), as KubeVela reads it; a whole-patch
        // strategy (jsonPatch, jsonMergePatch) stays where it is written.
        // Regular fields picked by index: filtering the fields would copy each one's information.
        let fields = value.isStruct ? value.fields : []
        let regular = fields.indices.filter { fields[$0].kind == .regular }
        if regular.count == 1, directives.patchKey != nil || directives.strategy.map(Strategy.pushesDown) == true {
            let only = fields[regular[0]]
            var outer = PatchDirectives()
            outer.fields[only.name] = read(only.value, comments: comments + only.docComments, depth: depth + 1)
            return outer
        }
        if value.isList {
            var element = PatchDirectives()
            for item in value.elements {
                element.absorb(read(item, depth: depth + 1))
            }
            if !element.isEmpty { directives.element = element }
            if let constraint = value.listElementConstraint, let each = constraint.defaultValue, each.object?.isEmpty == false {
                directives.eachElement = each
            }
        } else if value.isStruct {
            // Only fields the patch holds: an optional field is not exported, so no directive
            // under it is ever consulted, and reading it would evaluate its whole schema.
            for index in regular where fields[index].constraint == .regular {
                let field = fields[index]
                // Most fields hold no directive: an absent entry reads as an empty one.
                let child = read(field.value, comments: field.docComments, depth: depth + 1)
                if !child.isEmpty { directives.fields[field.name] = child }
            }
        }
        return directives
    }

    mutating func apply(_ comments: [String]) {
        // Most comments are prose or `+usage=`: only those starting `+patch` can hold a directive.
        for line in comments where Self.mayHoldDirective(line) {
            let text = Self.trimmed(line)
            if let key = Self.text(after: "+patchKey=", in: text) { patchKey = String(key) }
            if let name = Self.text(after: "+patchStrategy=", in: text) { strategy = Strategy(rawValue: String(name)) }
        }
    }

    /// The line without the spaces and tabs around it (on bytes: Foundation's trimming by
    /// character set costs more than the rest of reading a directive).
    static func trimmed(_ line: String) -> Substring {
        let bytes = line.utf8
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return line[first...last]
    }

    /// What follows `prefix` when `text` starts with it (compared on bytes: a substring's
    /// `hasPrefix` and `dropFirst` cost thousands of instructions a line).
    static func text(after prefix: String, in text: Substring) -> Substring? {
        let bytes = text.utf8
        var index = bytes.startIndex
        for expected in prefix.utf8 {
            guard index != bytes.endIndex, bytes[index] == expected else { return nil }
            index = bytes.index(after: index)
        }
        return text[index...]
    }

    /// Whether the line starts with `+patch` after its indentation (checked on bytes: the
    /// comments of a large patch are many).
    static func mayHoldDirective(_ line: String) -> Bool {
        var bytes = line.utf8.makeIterator()
        var byte = bytes.next()
        while byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { byte = bytes.next() }
        guard byte == UInt8(ascii: "+") else { return false }
        for expected in "patch".utf8 where bytes.next() != expected { return false }
        return true
    }

    /// Joins the directives of another element of the same list.
    mutating func absorb(_ other: PatchDirectives) {
        patchKey = patchKey ?? other.patchKey
        strategy = strategy ?? other.strategy
        eachElement = eachElement ?? other.eachElement
        for (name, child) in other.fields { fields[name, default: PatchDirectives()].absorb(child) }
        if let otherElement = other.element {
            var joined = element ?? PatchDirectives()
            joined.absorb(otherElement)
            element = joined
        }
    }
}
