import KubeClient
import KubeModel
import TandemJSON

/// The shared-resource policy's record on a shared object: the annotation
/// `app.oam.dev/shared-by` lists the applications that render it (`namespace/name`, comma
/// separated), as KubeVela writes it. The first application applies the object and owns it
/// (its ApplySet's member); the others only add themselves to the list. When one lets go —
/// pruning the object or being deleted — it takes itself off the list; the object is deleted
/// only by the last one, and an owner that lets go first leaves it to the others (the next
/// one to deploy adopts it).
enum SharedResource {
    static let annotation = "app.oam.dev/shared-by"

    /// `namespace/name` of an application.
    static func entry(application: String, namespace: String) -> String { "\(namespace)/\(application)" }

    static func sharers(of live: KubeObject?) -> [String] {
        (live?.json[path: ["metadata", "annotations", annotation]]?.string ?? "")
            .split(separator: ",").map(String.init).filter { !$0.isEmpty }
    }

    /// Adds `sharer` to the object's list, unless it is there already.
    static func join(_ live: KubeObject, sharer: String, client: KubeClient) async throws {
        let sharers = sharers(of: live)
        guard !sharers.contains(sharer) else { return }
        try await patch(live, ["metadata": ["annotations": [annotation: .string((sharers + [sharer]).joined(separator: ","))]]], client: client)
    }

    /// What letting go of a shared object comes to.
    enum Release: Equatable {
        /// No one else shares it: delete it as usual.
        case delete
        /// Others share it: it was taken off the list (and, for its owner, its ownership labels removed).
        case leftToOthers
    }

    /// Takes `sharer` off the object's list; when others remain and `owner` is the ApplySet id of
    /// the releasing application, it stops being that set's member too.
    static func release(_ live: KubeObject, sharer: String, ownerSet: String?, client: KubeClient) async throws -> Release {
        let others = sharers(of: live).filter { $0 != sharer }
        let labels = live.json[path: ["metadata", "labels"]]
        let ownedByReleaser = ownerSet != nil && labels?[ApplySet.partOfLabel]?.string == ownerSet
        let owned = labels?[ApplySet.partOfLabel] != nil
        if others.isEmpty, ownedByReleaser || !owned { return .delete }
        var metadata: JSONObject = ["annotations": [annotation: others.isEmpty ? .null : .string(others.joined(separator: ","))]]
        if ownedByReleaser {
            metadata["labels"] = [ApplySet.partOfLabel: .null, LabelKeys.appName: .null, LabelKeys.namespace: .null]
        }
        try await patch(live, ["metadata": .object(metadata)], client: client)
        return .leftToOthers
    }

    private static func patch(_ live: KubeObject, _ patch: JSONValue, client: KubeClient) async throws {
        var patch = patch
        // Two applications may join at once: the resourceVersion makes the later one read again.
        patch[path: ["metadata", "resourceVersion"]] = live.json[path: ["metadata", "resourceVersion"]]
        let resource = try await client.resource(for: live.gvk)
        try await client.send(KubeRequests.mergePatch(resource, namespace: resource.namespaced ? live.namespace : nil,
                                                      name: live.name, patch))
    }
}

extension SharedResource {
    /// The `shared-by` entry of the application whose set this is: the Application itself for the
    /// controller, the application of the `tandem-NAME` Secret for the command line.
    static func sharer(of set: ApplySet) -> String {
        let name = set.parent.gvk.kind == "Secret" && set.parent.name.hasPrefix("tandem-")
            ? String(set.parent.name.dropFirst("tandem-".count)) : set.parent.name
        return entry(application: name, namespace: set.parent.namespace ?? "")
    }
}
