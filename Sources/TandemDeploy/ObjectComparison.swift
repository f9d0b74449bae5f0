import KubeModel
import TandemJSON

/// Objects as a person compares them: without what the server keeps for itself.
public enum ObjectComparison {
    /// Fields of `metadata` the server writes.
    static let serverMetadata = ["managedFields", "resourceVersion", "generation", "uid", "creationTimestamp", "selfLink"]

    /// `object` without server-managed fields (`managedFields`, `resourceVersion`, `generation`,
    /// `uid`, `creationTimestamp`) and without `status`.
    public static func normalized(_ object: KubeObject) -> JSONValue {
        var json = object.json
        json["status"] = nil
        for field in serverMetadata { json[path: ["metadata", field]] = nil }
        return json
    }

    /// `value` with the keys of every object in alphabetical order, as kubectl prints objects:
    /// two objects then read the same whatever order the server wrote them in.
    public static func sortedKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.members.sorted { $0.key < $1.key }
                .map { JSONObject.Member(key: $0.key, value: sortedKeys($0.value)) }))
        case .array(let items):
            return .array(items.map(sortedKeys))
        default:
            return value
        }
    }

    /// Whether two objects say the same, whatever the order of their keys.
    public static func sameContent(_ lhs: KubeObject, _ rhs: KubeObject) -> Bool {
        equivalent(normalized(lhs), normalized(rhs))
    }

    public static func equivalent(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let left), .object(let right)):
            guard left.count == right.count else { return false }
            for member in left {
                guard let other = right[member.key], equivalent(member.value, other) else { return false }
            }
            return true
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { equivalent($0, $1) }
        case (.int(let left), .double(let right)), (.double(let right), .int(let left)):
            return Double(left) == right
        default:
            return lhs == rhs
        }
    }
}

/// The group and kind a custom resource definition defines.
struct CustomResourceNames {
    var groupKind: GroupKind

    init?(definition: KubeObject) {
        guard let group = definition.json[path: ["spec", "group"]]?.string,
              let kind = definition.json[path: ["spec", "names", "kind"]]?.string else { return nil }
        groupKind = GroupKind(group: group, kind: kind)
    }
}
