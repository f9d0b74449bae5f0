import TandemJSON

/// A pod spec inside a workload, with the edits traits make to it.
public struct PodSpec: Sendable {
    public var json: JSONObject

    public init(json: JSONObject = JSONObject()) {
        self.json = json
    }

    public var containers: [JSONValue] { json["containers"]?.array ?? [] }
    public var initContainers: [JSONValue] { json["initContainers"]?.array ?? [] }
    public var volumes: [JSONValue] { json["volumes"]?.array ?? [] }

    /// Names of all containers, init containers included.
    public var containerNames: [String] {
        (containers + initContainers).compactMap { $0["name"]?.string }
    }

    public func hasVolume(named name: String) -> Bool {
        volumes.contains { $0["name"]?.string == name }
    }

    /// Mount paths of the container named `name`, wherever it is.
    public func mountPaths(ofContainer name: String) -> [String] {
        let container = (containers + initContainers).first { $0["name"]?.string == name }
        return (container?["volumeMounts"]?.array ?? []).compactMap { $0["mountPath"]?.string }
    }

    public mutating func append(container: Container) {
        appendItem(container.json, to: "containers")
    }

    /// Adds a container to `initContainers` (a native sidecar when its restartPolicy is Always).
    public mutating func append(initContainer: Container) {
        appendItem(initContainer.json, to: "initContainers")
    }

    public mutating func add(volume: Volume) {
        appendItem(volume.json, to: "volumes")
    }

    /// Adds a mount to the container named `name`; does nothing when there is no such container.
    public mutating func add(mount: VolumeMount, toContainer name: String) {
        editContainer(named: name) { container in
            container.setContainerField("volumeMounts", .array((container["volumeMounts"]?.array ?? []) + [mount.json]))
        }
    }

    /// Edits the container named `name` in `containers` or `initContainers`; `false` when there is none.
    @discardableResult
    public mutating func editContainer(named name: String, _ body: (inout JSONObject) -> Void) -> Bool {
        for field in ["containers", "initContainers"] {
            guard var list = json[field]?.array,
                  let index = list.firstIndex(where: { $0["name"]?.string == name })
            else { continue }
            var container = list[index].object ?? JSONObject()
            body(&container)
            list[index] = .object(container)
            json[field] = .array(list)
            return true
        }
        return false
    }

    /// The order in which Tandem writes the fields of a pod spec.
    public static let fieldOrder = ["initContainers", "containers", "restartPolicy", "serviceAccountName", "imagePullSecrets", "volumes"]

    private mutating func appendItem(_ item: JSONValue, to field: String) {
        guard let index = json.index(of: field) else {
            return json.insert(field, .array([item]), following: PodSpec.fieldOrder)
        }
        var items = json.members[index].value.array ?? []
        items.append(item)
        json[field] = .array(items)
    }
}
