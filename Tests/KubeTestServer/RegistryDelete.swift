import TandemJSON

/// What a DELETE asks for (the DeleteOptions body, or the same fields as query parameters).
struct DeleteOptions: Sendable {
    var propagationPolicy: String?
    var orphanDependents: Bool?
    var dryRun = false
    var preconditionUID: String?
    var preconditionResourceVersion: String?

    init() {}

    init(json: JSONValue?) {
        propagationPolicy = json?["propagationPolicy"]?.string
        orphanDependents = json?["orphanDependents"]?.bool
        dryRun = json?["dryRun"]?.strings?.contains("All") ?? false
        preconditionUID = json?[path: ["preconditions", "uid"]]?.string
        preconditionResourceVersion = json?[path: ["preconditions", "resourceVersion"]]?.string
    }
}

/// How a deletion ended: gone at once, or still there waiting for finalizers.
enum DeleteOutcome: Sendable {
    case deleted(JSONValue)
    case pending(JSONValue)
}

extension Registry {
    /// The finalizers the garbage collector acts on.
    static let foregroundFinalizer = "foregroundDeletion"
    static let orphanFinalizer = "orphan"

    func delete(_ type: ResourceType, namespace: String?, name: String, options: DeleteOptions) throws(APIError) -> DeleteOutcome {
        let key = key(type, namespace: namespace, name: name)
        return try store.write { state throws(APIError) -> DeleteOutcome in
            try delete(&state, type: type, key: key, options: options)
        }
    }

    func delete(_ state: inout StoreState, type: ResourceType, key: ObjectKey, options: DeleteOptions) throws(APIError) -> DeleteOutcome {
        guard let old = state.get(key) else { throw APIError.notFound(resource: type.plural, group: type.group, name: key.name) }
        let uid = old[path: ["metadata", "uid"]]?.string ?? ""
        if let expected = options.preconditionUID, expected != uid {
            throw APIError.conflict(resource: type.plural, group: type.group, name: key.name,
                                    "Precondition failed: UID in precondition: \(expected), UID in object meta: \(uid)")
        }
        let version = old[path: ["metadata", "resourceVersion"]]?.string ?? ""
        if let expected = options.preconditionResourceVersion, expected != version {
            throw APIError.conflict(resource: type.plural, group: type.group, name: key.name,
                                    "Precondition failed: ResourceVersion in precondition: \(expected), ResourceVersion in object meta: \(version)")
        }
        let policy = options.propagationPolicy
            ?? options.orphanDependents.map { $0 ? "Orphan" : "Background" }
            // batch/v1 Jobs orphan their pods unless told otherwise, for compatibility.
            ?? (type.group == "batch" && type.kind == "Job" ? "Orphan" : "Background")
        var finalizers = old[path: ["metadata", "finalizers"]]?.strings ?? []
        if policy == "Foreground", !finalizers.contains(Self.foregroundFinalizer) { finalizers.append(Self.foregroundFinalizer) }
        if policy == "Orphan", !finalizers.contains(Self.orphanFinalizer) { finalizers.append(Self.orphanFinalizer) }
        let isNamespace = type.group.isEmpty && type.kind == "Namespace"
        if options.dryRun {
            return finalizers.isEmpty && !isNamespace ? .deleted(present(old, as: type)) : .pending(present(old, as: type))
        }
        if old[path: ["metadata", "deletionTimestamp"]] != nil {
            var updated = old
            updated[path: ["metadata", "finalizers"]] = .array(finalizers.map(JSONValue.string))
            return .pending(present(updated == old ? old : state.update(key, updated), as: type))
        }
        if finalizers.isEmpty, !isNamespace {
            return .deleted(present(state.remove(key) ?? old, as: type))
        }
        var updated = old
        updated[path: ["metadata", "deletionTimestamp"]] = .string(Timestamp.now)
        updated[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
        if !finalizers.isEmpty { updated[path: ["metadata", "finalizers"]] = .array(finalizers.map(JSONValue.string)) }
        if isNamespace { updated[path: ["status", "phase"]] = "Terminating" }
        updated = Self.ordered(updated)
        if var metadata = updated["metadata"]?.object {
            metadata = Self.ordered(metadata, by: ["name", "generateName", "namespace", "uid", "resourceVersion", "generation",
                                                   "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"])
            updated["metadata"] = .object(metadata)
        }
        return .pending(present(state.update(key, updated), as: type))
    }

    /// Removes one finalizer (the garbage collector's and namespace controller's step); the
    /// object goes when none is left and it is being deleted.
    func removeFinalizer(_ finalizer: String, from key: ObjectKey) {
        modify(key, manager: "kube-controller-manager") { object in
            let kept = (object[path: ["metadata", "finalizers"]]?.strings ?? []).filter { $0 != finalizer }
            object[path: ["metadata", "finalizers"]] = kept.isEmpty ? nil : .array(kept.map(JSONValue.string))
        }
    }

    /// Removes an object being deleted that has no finalizers left.
    func removeIfFinalized(_ key: ObjectKey) {
        _ = try? store.write { (state: inout StoreState) throws(APIError) -> Bool in
            guard let object = state.get(key), object.isDeleting,
                  (object[path: ["metadata", "finalizers"]]?.array ?? []).isEmpty else { return false }
            return state.remove(key) != nil
        }
    }

    /// The body of a DELETE's answer: the object while it waits for finalizers (or for a custom
    /// resource), otherwise a Success status naming it.
    func deleteResponse(_ outcome: DeleteOutcome, type: ResourceType) -> JSONValue {
        switch outcome {
        case .pending(let object):
            return object
        case .deleted(let object):
            if type.isCustom { return object }
            var details = JSONObject()
            details.append("name", object[path: ["metadata", "name"]] ?? "")
            if !type.group.isEmpty { details.append("group", .string(type.group)) }
            details.append("kind", .string(type.plural))
            details.append("uid", object[path: ["metadata", "uid"]] ?? "")
            return ["kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Success", "details": .object(details)]
        }
    }
}
