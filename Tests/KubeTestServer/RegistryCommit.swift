import TandemJSON

extension Registry {
    // MARK: - The write pipeline

    /// Turns a candidate into the stored object: identity and server-set metadata, the status
    /// rules of the subresource, defaults, validation, generation and field ownership; stores it
    /// unless nothing changed or it is a dry run; removes it when its last finalizer went.
    func commit(_ state: inout StoreState, type: ResourceType, key: ObjectKey, old: JSONValue?, candidate: JSONValue,
                options: WriteOptions, isApply: Bool) throws(APIError) -> (object: JSONValue, changed: Bool) {
        var object = candidate
        if options.subresource == "status", let old {
            // A status write changes status only; its managedFields are those computed for it.
            var updated = old
            updated["status"] = candidate["status"]
            updated[path: ["metadata", "managedFields"]] = candidate[path: ["metadata", "managedFields"]]
            object = updated
        } else if type.hasStatus {
            object["status"] = old?["status"]
        }
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)
        var metadata = object["metadata"]?.object ?? JSONObject()
        metadata["name"] = .string(key.name)
        metadata["namespace"] = type.namespaced ? .string(key.namespace) : nil
        let now = Timestamp.now
        if let old {
            for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "resourceVersion"] {
                metadata[field] = old[path: ["metadata", field]]
            }
        } else {
            metadata["uid"] = .string(makeUID())
            metadata["creationTimestamp"] = .string(now)
            for field in ["deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion", "generation", "selfLink"] {
                metadata[field] = nil
            }
        }
        object["metadata"] = .object(Self.ordered(metadata, by: Self.metadataOrder))
        Defaulting.apply(type, to: &object, isCreate: old == nil)
        if type.group.isEmpty, type.kind == "Service" {
            allocate(service: &object, old: old)
            if old == nil { object["status"] = ["loadBalancer": .object([:])] }
        }
        try Validation.validate(type, object, old: old)
        if type.hasGeneration {
            if let old {
                let generation = old[path: ["metadata", "generation"]]?.int ?? 1
                object[path: ["metadata", "generation"]] = .int(Self.specChanged(old, object) ? generation + 1 : generation)
            } else {
                object[path: ["metadata", "generation"]] = 1
            }
        }
        if !isApply {
            FieldManager.recordUpdate(old: old, new: &object, manager: options.manager, type: type,
                                      subresource: options.subresource, time: now)
        }
        object = Self.ordered(object)
        if let old, Self.sameIgnoringTimes(old, object) { return (present(old, as: type), false) }
        var finalizers = object[path: ["metadata", "finalizers"]]?.array ?? []
        // A namespace also waits for the namespace controller's `spec.finalizers`.
        if type.group.isEmpty, type.kind == "Namespace" { finalizers += object[path: ["spec", "finalizers"]]?.array ?? [] }
        if object[path: ["metadata", "deletionTimestamp"]] != nil, finalizers.isEmpty {
            if options.dryRun { return (present(object, as: type), true) }
            state.update(key, object)
            return (present(state.remove(key) ?? object, as: type), true)
        }
        if options.dryRun { return (present(object, as: type), true) }
        let stored = old == nil ? state.create(key, object) : state.update(key, object)
        return (present(stored, as: type), true)
    }

    /// Whether anything besides metadata and status changed: what bumps `generation`.
    private static func specChanged(_ old: JSONValue, _ new: JSONValue) -> Bool {
        var before = old, after = new
        for field in ["metadata", "status", "apiVersion", "kind"] {
            before[field] = nil
            after[field] = nil
        }
        return !sameValue(before, after)
    }

    /// Equal but for managedFields times and resourceVersion: a write that changes nothing.
    private static func sameIgnoringTimes(_ old: JSONValue, _ new: JSONValue) -> Bool {
        func normalized(_ value: JSONValue) -> JSONValue {
            var value = value
            value[path: ["metadata", "resourceVersion"]] = nil
            if let entries = value[path: ["metadata", "managedFields"]]?.array {
                value[path: ["metadata", "managedFields"]] = .array(entries.map { entry in
                    var entry = entry
                    entry["time"] = nil
                    return entry
                })
            }
            return value
        }
        return sameValue(normalized(old), normalized(new))
    }

    /// kind, apiVersion, metadata, the rest as given, status last: the order Go's structs print in.
    static func ordered(_ object: JSONValue) -> JSONValue {
        guard let members = object.object else { return object }
        return .object(ordered(members, by: ["kind", "apiVersion", "metadata"], last: ["status"]))
    }

    static func ordered(_ object: JSONObject, by order: [String], last: [String] = []) -> JSONObject {
        var result = JSONObject(reservingCapacity: object.count)
        for key in order { if let value = object[key] { result.append(key, value) } }
        for member in object where !order.contains(member.key) && !last.contains(member.key) {
            result.append(member.key, member.value)
        }
        for key in last { if let value = object[key] { result.append(key, value) } }
        return result
    }
}
