import TandemJSON

/// What the server knows of the built-in schemas: how lists merge and which objects are
/// atomic. Paths here are field names from the object's root, list items left out
/// (`spec.template.spec.containers.ports`).
enum Schema {
    enum ListType: Equatable {
        /// Replaced whole; owned as one field.
        case atomic
        /// A set of scalars (`v:` elements).
        case set
        /// An associative list: items identified by these key fields (`k:` elements).
        case map([String])
    }

    private static let containerLists: Set<String> = ["containers", "initContainers", "ephemeralContainers"]

    static func listType(_ names: [String]) -> ListType {
        guard let last = names.last else { return .atomic }
        let parent = names.count >= 2 ? names[names.count - 2] : ""
        switch last {
        case "containers", "initContainers", "ephemeralContainers": return .map(["name"])
        case "env" where containerLists.contains(parent): return .map(["name"])
        case "volumeMounts": return .map(["mountPath"])
        case "volumeDevices": return .map(["devicePath"])
        case "ports" where containerLists.contains(parent): return .map(["containerPort", "protocol"])
        case "ports" where names == ["spec", "ports"]: return .map(["port", "protocol"])
        case "volumes": return .map(["name"])
        case "imagePullSecrets": return .map(["name"])
        case "hostAliases": return .map(["ip"])
        case "topologySpreadConstraints": return .map(["topologyKey", "whenUnsatisfiable"])
        case "resourceClaims" where parent == "spec": return .map(["name"])
        case "conditions" where parent == "status": return .map(["type"])
        case "ownerReferences" where parent == "metadata": return .map(["uid"])
        case "finalizers" where parent == "metadata": return .set
        default: return .atomic
        }
    }

    /// Key fields that the schema defaults, so that items without them still have a key.
    static let keyDefaults: [String: JSONValue] = ["protocol": "TCP"]

    /// Objects owned and replaced as one field: label selectors (`+structType=atomic`), Service
    /// selectors (`+mapType=atomic`) and the key selectors of env sources.
    static func isAtomicObject(_ names: [String]) -> Bool {
        guard let last = names.last else { return false }
        switch last {
        case "selector", "labelSelector", "namespaceSelector", "podSelector",
             "secretKeyRef", "configMapKeyRef", "fieldRef", "resourceFieldRef", "secretRef", "configMapRef":
            return true
        default:
            return false
        }
    }

    /// Objects that are maps (`map[string]...`) rather than structs: the map itself is a field
    /// (the `.` entry of an Update), and removing its last key leaves no empty map behind.
    static func isMap(_ names: [String]) -> Bool {
        guard let last = names.last else { return false }
        return ["labels", "annotations", "data", "binaryData", "stringData", "nodeSelector", "limits", "requests",
                "capacity", "allocatable", "hard", "parameters"].contains(last)
    }

    /// The `k:` element of an associative-list item, or nil when the item lacks a key field.
    static func itemKey(_ item: JSONValue, keys: [String]) -> String? {
        guard let object = item.object else { return nil }
        var fields: [(String, JSONValue)] = []
        for key in keys {
            guard let value = object[key] ?? keyDefaults[key] else { return nil }
            fields.append((key, value))
        }
        fields.sort { $0.0 < $1.0 }
        let json = JSONValue.object(JSONObject(fields.map { JSONObject.Member(key: $0.0, value: $0.1) }))
        return "k:" + JSONWriter.compact(json)
    }

    static func valueToken(_ item: JSONValue) -> String { "v:" + JSONWriter.compact(item) }

    /// How a list at `names` behaves for these items: an associative list whose items lack
    /// keys, or repeat one, is treated as atomic rather than refused.
    static func effectiveListType(_ names: [String], items: [JSONValue]...) -> ListType {
        let type = listType(names)
        switch type {
        case .map(let keys):
            for list in items {
                var seen: Set<String> = []
                for item in list {
                    guard let key = itemKey(item, keys: keys), seen.insert(key).inserted else { return .atomic }
                }
            }
            return type
        case .set:
            for list in items where list.contains(where: { $0.object != nil || $0.array != nil }) { return .atomic }
            return type
        case .atomic:
            return type
        }
    }
}
