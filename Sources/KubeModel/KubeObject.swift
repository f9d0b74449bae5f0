import TandemJSON

/// A Kubernetes object as an ordered JSON value: `apiVersion`, `kind`, `metadata`, then the rest.
public struct KubeObject: Sendable, Hashable {
    public var json: JSONValue

    public init(json: JSONValue) {
        self.json = json
    }

    public init(apiVersion: String, kind: String, name: String, namespace: String? = nil) {
        var metadata = JSONObject()
        metadata.append("name", .string(name))
        if let namespace { metadata.append("namespace", .string(namespace)) }
        json = ["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": .object(metadata)]
    }

    public init(_ gvk: GroupVersionKind, name: String, namespace: String? = nil) {
        self.init(apiVersion: gvk.apiVersion, kind: gvk.kind, name: name, namespace: namespace)
    }

    public var apiVersion: String { json["apiVersion"]?.string ?? "" }
    public var kind: String { json["kind"]?.string ?? "" }
    public var name: String { json[path: ["metadata", "name"]]?.string ?? "" }
    public var namespace: String? { json[path: ["metadata", "namespace"]]?.string }

    public var gvk: GroupVersionKind { GroupVersionKind(apiVersion: apiVersion, kind: kind) }
    public var reference: ObjectReference { ObjectReference(gvk: gvk, namespace: namespace, name: name) }

    /// Whether the kind lives outside namespaces, by the built-in table.
    public var isClusterScoped: Bool { ResourceScope.builtIn(gvk.groupKind) == .cluster }

    /// Why `json` is not a Kubernetes object (no string apiVersion, kind or metadata.name), or nil.
    public static func identityProblem(_ json: JSONValue) -> String? {
        guard json.object != nil else { return "is not a mapping" }
        for field in ["apiVersion", "kind"] where (json[field]?.string ?? "").isEmpty {
            return "has no \(field)"
        }
        if (json[path: ["metadata", "name"]]?.string ?? "").isEmpty { return "has no metadata.name" }
        return nil
    }

    /// `Deployment/web` or `Deployment/web (namespace demo)`, for messages.
    public var displayName: String { reference.description }

    /// Puts `labels` first in `metadata.labels`, before the labels already there; a key already
    /// there keeps its value, in the place `labels` give it.
    public mutating func addLabels(_ labels: [(key: String, value: String)]) {
        add(labels, under: "labels")
    }

    /// Puts `annotations` first in `metadata.annotations`, as `addLabels` does.
    public mutating func addAnnotations(_ annotations: [(key: String, value: String)]) {
        add(annotations, under: "annotations")
    }

    private mutating func add(_ entries: [(key: String, value: String)], under field: String) {
        guard !entries.isEmpty else { return }
        let existing = json[path: ["metadata", field]]?.object ?? JSONObject()
        var map = JSONObject(reservingCapacity: entries.count + existing.count)
        for (key, value) in entries where map[key] == nil {
            map.append(key, existing[key] ?? .string(value))
        }
        for member in existing where map[member.key] == nil {
            map.append(member.key, member.value)
        }
        json[path: ["metadata", field]] = .object(map)
    }
}
