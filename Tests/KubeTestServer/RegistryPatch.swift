import KubeModel
import TandemJSON

extension Registry {
    // MARK: - Patch

    /// Returns the object and whether it was created (an apply of a new object).
    func patch(_ type: ResourceType, namespace: String?, name: String, kind: PatchKind, body: JSONValue, options: WriteOptions,
               force: Bool) throws(APIError) -> (object: JSONValue, created: Bool) {
        if kind == .apply { return try apply(type, namespace: namespace, name: name, config: body, options: options, force: force) }
        let key = key(type, namespace: namespace, name: name)
        return try store.write { state throws(APIError) -> (object: JSONValue, created: Bool) in
            guard let old = state.get(key) else { throw APIError.notFound(resource: type.plural, group: type.group, name: name) }
            let base = options.subresource == "scale" ? scale(of: old, type: type) : present(old, as: type)
            var patched: JSONValue
            switch kind {
            case .merge:
                guard body.object != nil else { throw APIError.badRequest("json: cannot unmarshal \(body.jsonTypeName) into Go value of type map[string]interface {}") }
                patched = JSONPatch.merge(body, into: base)
            case .strategic:
                guard body.object != nil else { throw APIError.badRequest("json: cannot unmarshal \(body.jsonTypeName) into Go value of type map[string]interface {}") }
                patched = StrategicMerge.apply(body, to: base)
            case .json:
                guard let operations = body.array else { throw APIError.badRequest("json: cannot unmarshal \(body.jsonTypeName) into Go value of type jsonpatch.Patch") }
                switch JSONPatch.apply(operations, to: base) {
                case .success(let value): patched = value
                case .failure(let failure):
                    throw APIError(code: 422, reason: "Invalid", message: "the server rejected our request due to an error in our request",
                                   details: ["causes": [["message": .string(failure.description)]]])
                }
            case .apply:
                patched = base
            }
            if let given = patched[path: ["metadata", "resourceVersion"]]?.string, !given.isEmpty,
               given != old[path: ["metadata", "resourceVersion"]]?.string {
                throw APIError.modified(resource: type.plural, group: type.group, name: name)
            }
            if options.subresource == "scale" { patched = Self.scaled(old, by: patched) }
            patched[path: ["metadata", "name"]] = .string(name)
            let result = try commit(&state, type: type, key: key, old: old, candidate: patched, options: options, isApply: false).object
            return (options.subresource == "scale" ? scale(of: result, type: type) : result, false)
        }
    }

    /// Server-side apply: creates (201) or merges into (200) the object, with field ownership.
    func apply(_ type: ResourceType, namespace: String?, name: String, config: JSONValue, options: WriteOptions,
               force: Bool) throws(APIError) -> (object: JSONValue, created: Bool) {
        guard config.object != nil else { throw APIError.badRequest("error decoding YAML: the applied configuration is not an object") }
        if (config["apiVersion"]?.string ?? "").isEmpty || (config["kind"]?.string ?? "").isEmpty {
            throw APIError.badRequest("invalid object type: /, Kind=")
        }
        try checkTypeMeta(config, type)
        if let fields = config[path: ["metadata", "managedFields"]], !fields.isNull {
            throw APIError.badRequest("metadata.managedFields must be nil")
        }
        if let given = config[path: ["metadata", "name"]]?.string, given != name {
            throw APIError.badRequest("the name of the object (\(given)) does not match the name on the URL (\(name))")
        }
        _ = try checkNamespace(config, type, namespace)
        let key = key(type, namespace: namespace, name: name)
        return try store.write { state throws(APIError) -> (object: JSONValue, created: Bool) in
            let old = state.get(key)
            if old == nil {
                guard options.subresource.isEmpty else { throw APIError.notFound(resource: type.plural, group: type.group, name: name) }
                try requireNamespace(state, type, namespace, name: name)
            }
            if let given = config[path: ["metadata", "resourceVersion"]]?.string, !given.isEmpty,
               given != old?[path: ["metadata", "resourceVersion"]]?.string {
                throw APIError.modified(resource: type.plural, group: type.group, name: name)
            }
            var merged = try FieldManager.apply(live: old, config: config, manager: options.manager, force: force, type: type,
                                                subresource: options.subresource, time: Timestamp.now)
            merged[path: ["metadata", "name"]] = .string(name)
            let result = try commit(&state, type: type, key: key, old: old, candidate: merged, options: options, isApply: true)
            return (result.object, old == nil)
        }
    }
}
