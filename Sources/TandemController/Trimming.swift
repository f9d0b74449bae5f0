import KubeModel
import TandemJSON

/// What the controller keeps of the objects it watches: only what health, ownership and
/// rendering need, so that ten thousand applications fit in little memory.
enum Trimming {
    /// metadata fields kept for every object.
    static let metadata = ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp"]

    static func trimmedMetadata(_ object: KubeObject, labels keep: (String) -> Bool = { _ in true },
                                extra: [String] = []) -> JSONObject {
        var trimmed = JSONObject()
        let source = object.json["metadata"]?.object ?? JSONObject()
        for field in metadata + extra { if let value = source[field] { trimmed.append(field, value) } }
        if let labels = source["labels"]?.object {
            let kept = JSONObject(labels.members.filter { keep($0.key) })
            if !kept.isEmpty { trimmed.append("labels", .object(kept)) }
        }
        return trimmed
    }

    static func start(_ object: KubeObject, _ metadata: JSONObject) -> JSONObject {
        ["apiVersion": .string(object.apiVersion), "kind": .string(object.kind), "metadata": .object(metadata)]
    }

    /// An Application: its spec to render, its metadata (labels and annotations included), its status.
    static func application(_ object: KubeObject) -> KubeObject {
        var json = start(object, trimmedMetadata(object, extra: ["annotations", "finalizers"]))
        if let spec = object.json["spec"] { json.append("spec", spec) }
        if let status = object.json["status"] { json.append("status", status) }
        return KubeObject(json: .object(json))
    }

    /// A workload or another owned object: the fields kstatus reads, and its status.
    static func owned(_ object: KubeObject) -> KubeObject {
        var json = start(object, trimmedMetadata(object) { $0.hasPrefix("applyset.kubernetes.io/") })
        let entry = KindCatalog.entry(for: object.gvk.groupKind)
        if let spec = object.json["spec"]?.object {
            var kept = JSONObject()
            for field in entry.keptSpecFields {
                if let value = spec[field] { kept.append(field, value) }
            }
            if !kept.isEmpty { json.append("spec", .object(kept)) }
        }
        if let status = object.json["status"], entry.health.readsStatus { json.append("status", status) }
        return KubeObject(json: .object(json))
    }

    /// An event: what it is about, why, when.
    static func event(_ object: KubeObject) -> KubeObject {
        var json = start(object, trimmedMetadata(object))
        for field in ["involvedObject", "reason", "message", "type", "count", "firstTimestamp", "lastTimestamp", "eventTime", "series"] {
            if let value = object.json[field] { json.append(field, value) }
        }
        return KubeObject(json: .object(json))
    }

    /// A pod: its labels (for selectors), its containers' names and images, its status.
    static func pod(_ object: KubeObject) -> KubeObject {
        var json = start(object, trimmedMetadata(object))
        var spec = JSONObject()
        for field in ["initContainers", "containers"] {
            guard let containers = object.json[path: ["spec", field]]?.array else { continue }
            spec.append(field, .array(containers.map { container in
                var kept = JSONObject()
                for key in ["name", "image", "restartPolicy"] { if let value = container[key] { kept.append(key, value) } }
                return .object(kept)
            }))
        }
        json.append("spec", .object(spec))
        if let status = object.json["status"]?.object {
            var kept = JSONObject()
            for field in ["phase", "conditions", "containerStatuses", "initContainerStatuses"] {
                if let value = status[field] { kept.append(field, value) }
            }
            json.append("status", .object(kept))
        }
        return KubeObject(json: .object(json))
    }
}
