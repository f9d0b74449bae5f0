import KubeClient
import KubeModel
import TandemDeploy
import TandemJSON

/// The parent of an ApplySet the controller manages: the Application object itself, which
/// carries the set's id label and annotations, and the controller's finalizer. Read from the
/// watch cache, written with server-side apply only when something changes.
struct ApplicationParent: ApplySetParent {
    var key: ApplicationKey
    var cache: ApplicationCache
    var tooling: String

    static let finalizer = "tandem.oam.dev/delete-owned-objects"

    var reference: ObjectReference { key.reference }

    func read(_ client: KubeClient) async throws -> (record: ApplySetRecord, inventory: Inventory?)? {
        guard let object = cache[key], object.json[path: ["metadata", "labels", ApplySet.idLabel]] != nil else { return nil }
        return (ApplySetRecord(parent: object), nil)
    }

    func write(_ record: ApplySetRecord, inventory: Inventory, set: ApplySet, client: KubeClient) async throws {
        var record = record
        record.tooling = tooling
        let (labels, annotations) = record.metadata(for: set)
        if let current = cache[key], Self.carries(current, labels: labels, annotations: annotations) { return }
        var metadata: JSONObject = ["name": .string(key.name), "namespace": .string(key.namespace)]
        // A precondition: an Application deleted meanwhile is not created again by this apply.
        let cachedVersion = cache[key]?.resourceVersion
        if let cachedVersion { metadata.append("resourceVersion", .string(cachedVersion)) }
        metadata.append("labels", .object(JSONObject(labels.map { .init(key: $0.key, value: .string($0.value)) })))
        metadata.append("annotations", .object(JSONObject(annotations.map { .init(key: $0.key, value: .string($0.value)) })))
        metadata.append("finalizers", [.string(Self.finalizer)])
        let patch = KubeObject(json: ["apiVersion": .string(ApplicationKey.gvk.apiVersion), "kind": "Application",
                                      "metadata": .object(metadata)])
        let applied = try await client.apply(patch, options: ApplyOptions(force: true))
        if !client.dryRun {
            cache.update(key, ifAt: cachedVersion) { object in
                object.json[path: ["metadata", "resourceVersion"]] = applied.object.json[path: ["metadata", "resourceVersion"]]
                object.json[path: ["metadata", "labels"]] = applied.object.json[path: ["metadata", "labels"]]
                object.json[path: ["metadata", "annotations"]] = applied.object.json[path: ["metadata", "annotations"]]
                object.json[path: ["metadata", "finalizers"]] = applied.object.json[path: ["metadata", "finalizers"]]
            }
        }
    }

    /// Whether the live Application already says all this, finalizer included.
    static func carries(_ object: KubeObject, labels: [(key: String, value: String)], annotations: [(key: String, value: String)]) -> Bool {
        let metadata = object.json["metadata"]
        for (key, value) in labels where metadata?["labels"]?[key]?.string != value { return false }
        for (key, value) in annotations where metadata?["annotations"]?[key]?.string != value { return false }
        return (metadata?["finalizers"]?.strings ?? []).contains(finalizer)
    }

    /// Lets the Application go: removes the controller's finalizer (only if the Application is
    /// still the one read: its resourceVersion is a precondition).
    func release(client: KubeClient) async throws {
        guard let object = cache[key] else { return }
        let remaining = (object.json[path: ["metadata", "finalizers"]]?.strings ?? []).filter { $0 != Self.finalizer }
        var metadata: JSONObject = ["finalizers": .array(remaining.map { .string($0) })]
        if let version = object.resourceVersion { metadata.append("resourceVersion", .string(version)) }
        let resource = try await client.resource(for: ApplicationKey.gvk)
        do {
            try await client.send(KubeRequests.mergePatch(resource, namespace: key.namespace, name: key.name, ["metadata": .object(metadata)]))
        } catch let error as KubeError where error.isNotFound {
            return
        }
    }
}
