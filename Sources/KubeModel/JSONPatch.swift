import TandemJSON

/// RFC 6902 JSON Patch and RFC 7396 JSON Merge Patch over ordered JSON values.
public enum JSONPatch {
    /// Why a patch could not be applied, and which operation failed.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The index of the failing operation in the list.
        public var operation: Int
        public var reason: String

        public var description: String { "operation \(operation): \(reason)" }
    }

    /// How large and deep a patched document may be: `copy` can double a document per operation,
    /// so the result is bounded like any input.
    public struct Bounds: Sendable {
        public var maxNodes: Int
        public var maxDepth: Int

        public init(maxNodes: Int = 100_000, maxDepth: Int = 100) {
            self.maxNodes = maxNodes
            self.maxDepth = maxDepth
        }
    }

    /// A problem with one operation.
    struct OperationError: Error {
        var message: String
    }

    /// Applies the operations in order; fails at the first one that cannot be applied, or that
    /// makes the document larger or deeper than the bounds.
    public static func apply(_ operations: [JSONValue], to document: JSONValue, bounds: Bounds = Bounds()) -> Result<JSONValue, Failure> {
        var document = document
        for (index, operation) in operations.enumerated() {
            do {
                try apply(operation, to: &document, bounds: bounds)
                var nodes = 0
                guard withinBounds(document, depth: 0, nodes: &nodes, bounds: bounds) else {
                    throw OperationError(message: "the result would be larger than \(bounds.maxNodes) nodes or deeper than \(bounds.maxDepth) levels")
                }
            } catch let error as OperationError {
                return .failure(Failure(operation: index, reason: error.message))
            } catch {
                return .failure(Failure(operation: index, reason: "\(error)"))
            }
        }
        return .success(document)
    }

    private static func apply(_ operation: JSONValue, to document: inout JSONValue, bounds: Bounds) throws {
        let op = operation["op"]?.string ?? ""
        let path = try pointer(operation["path"]?.string ?? "", bounds: bounds)
        switch op {
        case "add": try insert(operation["value"] ?? .null, at: path, in: &document)
        case "remove": _ = try remove(path, from: &document)
        case "replace":
            _ = try remove(path, from: &document)
            try insert(operation["value"] ?? .null, at: path, in: &document)
        case "move":
            let from = try pointer(operation["from"]?.string ?? "", bounds: bounds)
            let value = try remove(from, from: &document)
            try insert(value, at: path, in: &document)
        case "copy":
            let from = try pointer(operation["from"]?.string ?? "", bounds: bounds)
            try insert(try value(at: from, in: document), at: path, in: &document)
        case "test":
            guard try value(at: path, in: document) == operation["value"] ?? .null else {
                throw OperationError(message: "test failed: the value at \(operation["path"]?.string ?? "") differs")
            }
        default:
            throw OperationError(message: "unknown op '\(op)'")
        }
    }

    /// Whether `value` has at most `maxNodes` nodes (counted into `nodes`) and `maxDepth` levels;
    /// stops counting as soon as either is exceeded.
    static func withinBounds(_ value: JSONValue, depth: Int, nodes: inout Int, bounds: Bounds) -> Bool {
        nodes += 1
        guard nodes <= bounds.maxNodes, depth <= bounds.maxDepth else { return false }
        switch value {
        case .object(let object): return object.allSatisfy { withinBounds($0.value, depth: depth + 1, nodes: &nodes, bounds: bounds) }
        case .array(let items): return items.allSatisfy { withinBounds($0, depth: depth + 1, nodes: &nodes, bounds: bounds) }
        default: return true
        }
    }

    /// The reference tokens of a JSON Pointer (`/spec/replicas`, with `~1` for `/` and `~0` for `~`).
    static func pointer(_ text: String, bounds: Bounds) throws -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw OperationError(message: "the path '\(text)' must start with '/'") }
        guard text.utf8.count(where: { $0 == UInt8(ascii: "/") }) <= bounds.maxDepth else {
            throw OperationError(message: "the path is deeper than \(bounds.maxDepth) levels")
        }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).replacing("~1", with: "/").replacing("~0", with: "~")
        }
    }

    static func value(at path: [String], in document: JSONValue) throws -> JSONValue {
        var current = document
        for token in path {
            switch current {
            case .object(let object):
                guard let next = object[token] else { throw OperationError(message: "no member '\(token)'") }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { throw OperationError(message: "no item '\(token)'") }
                current = items[index]
            default:
                throw OperationError(message: "cannot descend into a scalar at '\(token)'")
            }
        }
        return current
    }

    static func insert(_ value: JSONValue, at path: [String], in document: inout JSONValue) throws {
        guard let last = path.last else { document = value; return }
        try modify(Array(path.dropLast()), in: &document) { parent in
            switch parent {
            case .object(var object):
                object[last] = value
                parent = .object(object)
            case .array(var items):
                let index = last == "-" ? items.count : Int(last) ?? -1
                guard (0...items.count).contains(index) else { throw OperationError(message: "index '\(last)' is out of range") }
                items.insert(value, at: index)
                parent = .array(items)
            default:
                throw OperationError(message: "cannot add to a scalar")
            }
        }
    }

    static func remove(_ path: [String], from document: inout JSONValue) throws -> JSONValue {
        guard let last = path.last else { throw OperationError(message: "cannot remove the whole object") }
        var removed = JSONValue.null
        try modify(Array(path.dropLast()), in: &document) { parent in
            switch parent {
            case .object(var object):
                guard let value = object[last] else { throw OperationError(message: "no member '\(last)' to remove") }
                removed = value
                object[last] = nil
                parent = .object(object)
            case .array(var items):
                guard let index = Int(last), items.indices.contains(index) else { throw OperationError(message: "no item '\(last)' to remove") }
                removed = items.remove(at: index)
                parent = .array(items)
            default:
                throw OperationError(message: "cannot remove from a scalar")
            }
        }
        return removed
    }

    private static func modify(_ path: [String], in document: inout JSONValue, _ body: (inout JSONValue) throws -> Void) throws {
        guard let first = path.first else { return try body(&document) }
        switch document {
        case .object(var object):
            guard var child = object[first] else { throw OperationError(message: "no member '\(first)'") }
            try modify(Array(path.dropFirst()), in: &child, body)
            object[first] = child
            document = .object(object)
        case .array(var items):
            guard let index = Int(first), items.indices.contains(index) else { throw OperationError(message: "no item '\(first)'") }
            try modify(Array(path.dropFirst()), in: &items[index], body)
            document = .array(items)
        default:
            throw OperationError(message: "cannot descend into a scalar at '\(first)'")
        }
    }

    /// RFC 7396: members of `patch` replace those of `target`; `null` removes; objects merge deeply.
    public static func merge(_ patch: JSONValue, into target: JSONValue) -> JSONValue {
        guard case .object(let patchObject) = patch else { return patch }
        var result = target.object ?? JSONObject()
        for member in patchObject {
            if member.value.isNull {
                result[member.key] = nil
            } else {
                result[member.key] = merge(member.value, into: result[member.key] ?? .null)
            }
        }
        return .object(result)
    }
}

