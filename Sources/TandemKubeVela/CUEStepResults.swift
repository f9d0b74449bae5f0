import TandemCUE
import TandemJSON

/// The results of a step's actions so far, as one tree to unify into the template: an action
/// in a list (`[for x in ... {kube.#Read & ...}]`) gets its results through a list as long as
/// the template's, its other elements left open (`{}`).
struct CUEStepResults {
    private(set) var tree = JSONValue.object(JSONObject())

    /// Adds `value` at `path`, where `root` (the template as last evaluated) tells which
    /// steps of the path are lists and how long.
    mutating func insert(_ value: JSONValue, at path: [String], in root: CUEValue) {
        tree = Self.inserting(value, into: tree, path: path[...], node: root)
    }

    private static func inserting(_ value: JSONValue, into existing: JSONValue?, path: ArraySlice<String>, node: CUEValue?) -> JSONValue {
        guard let key = path.first else { return value }
        let child = node?.lookup([key])
        if let node, node.isList, let index = Int(key) {
            var items = existing?.array ?? Array(repeating: .object(JSONObject()), count: node.elements.count)
            guard index >= 0, index < items.count else { return existing ?? .array(items) }
            items[index] = inserting(value, into: items[index], path: path.dropFirst(), node: child)
            return .array(items)
        }
        var object = existing?.object ?? JSONObject()
        object[key] = inserting(value, into: object[key], path: path.dropFirst(), node: child)
        return .object(object)
    }
}
