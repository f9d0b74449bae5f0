import KubeModel
import TandemJSON

/// How a PATCH body changes the object.
enum PatchKind: Sendable {
    case merge, strategic, json, apply

    init?(contentType: String) {
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingSpaces().lowercased() } ?? ""
        switch mediaType {
        case "application/merge-patch+json": self = .merge
        case "application/strategic-merge-patch+json": self = .strategic
        case "application/json-patch+json": self = .json
        case "application/apply-patch+yaml", "application/apply-patch+json", "application/apply-patch+cbor": self = .apply
        default: return nil
        }
    }
}

extension Registry {
    static let metadataOrder = ["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
                                        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
                                        "annotations", "ownerReferences", "finalizers", "managedFields"]

    // MARK: - Create

    func create(_ type: ResourceType, namespace: String?, body: JSONValue, options: WriteOptions) throws(APIError) -> JSONValue {
        guard body.object != nil else { throw APIError.badRequest("the object provided is unrecognized (must be of type \(type.kind))") }
        try checkTypeMeta(body, type)
        var name = body[path: ["metadata", "name"]]?.string ?? ""
        if name.isEmpty, let prefix = body[path: ["metadata", "generateName"]]?.string, !prefix.isEmpty {
            name = prefix + NameSuffix.random()
        }
        guard !name.isEmpty else {
            throw APIError.invalid(kind: type.kind, group: type.group, name: "",
                                   [.required("metadata.name", "name or generateName is required")])
        }
        let namespace = try checkNamespace(body, type, namespace)
        let key = key(type, namespace: namespace, name: name)
        return try store.write { state throws(APIError) -> JSONValue in
            if state.get(key) != nil { throw APIError.alreadyExists(resource: type.plural, group: type.group, name: name) }
            try requireNamespace(state, type, namespace, name: name)
            var candidate = body
            candidate[path: ["metadata", "name"]] = .string(name)
            candidate[path: ["metadata", "managedFields"]] = nil
            return try commit(&state, type: type, key: key, old: nil, candidate: candidate, options: options, isApply: false).object
        }
    }

    // MARK: - Replace (PUT)

    func replace(_ type: ResourceType, namespace: String?, name: String, body: JSONValue, options: WriteOptions) throws(APIError) -> JSONValue {
        guard body.object != nil else { throw APIError.badRequest("the object provided is unrecognized (must be of type \(type.kind))") }
        try checkTypeMeta(body, type)
        if let given = body[path: ["metadata", "name"]]?.string, given != name {
            throw APIError.badRequest("the name of the object (\(given)) does not match the name on the URL (\(name))")
        }
        _ = try checkNamespace(body, type, namespace)
        let key = key(type, namespace: namespace, name: name)
        return try store.write { state throws(APIError) -> JSONValue in
            guard let old = state.get(key) else { throw APIError.notFound(resource: type.plural, group: type.group, name: name) }
            let given = body[path: ["metadata", "resourceVersion"]]?.string ?? ""
            if given.isEmpty, type.isCustom {
                throw APIError.invalid(kind: type.kind, group: type.group, name: name,
                                       [.invalid("metadata.resourceVersion", value: "0x0", "must be specified for an update")])
            }
            if !given.isEmpty, given != old[path: ["metadata", "resourceVersion"]]?.string {
                throw APIError.modified(resource: type.plural, group: type.group, name: name)
            }
            var candidate = body
            candidate[path: ["metadata", "name"]] = .string(name)
            if options.subresource == "scale" { candidate = Self.scaled(old, by: body) }
            return try commit(&state, type: type, key: key, old: old, candidate: candidate, options: options, isApply: false).object
        }
    }

    // MARK: - Internal writes (controllers, seeding)

    /// Read-modify-write by a controller: `change` edits the current object; nothing is written
    /// when it changes nothing. Returns the stored object, nil when it does not exist.
    @discardableResult
    func modify(_ key: ObjectKey, manager: String, subresource: String = "",
                _ change: (inout JSONValue) -> Void) -> JSONValue? {
        guard let type = catalog.preferred(key.resource) else { return nil }
        return try? store.write { state throws(APIError) -> JSONValue? in
            guard let old = state.get(key) else { return nil }
            var candidate = old
            change(&candidate)
            guard !sameValue(candidate, old) else { return old }
            return try commit(&state, type: type, key: key, old: old, candidate: candidate,
                              options: WriteOptions(manager: manager, subresource: subresource), isApply: false).object
        }
    }

    /// Stores an object as given (after defaults), replacing any existing one: the test's seeding.
    func insert(_ object: JSONValue, manager: String) throws(APIError) -> JSONValue {
        guard let apiVersion = object["apiVersion"]?.string, let kind = object["kind"]?.string,
              let type = catalog.find(apiVersion: apiVersion, kind: kind)
        else { throw APIError.badRequest("no resource serves \(object["apiVersion"]?.string ?? "?") \(object["kind"]?.string ?? "?")") }
        guard let name = object[path: ["metadata", "name"]]?.string else { throw APIError.badRequest("metadata.name is required") }
        let namespace = object[path: ["metadata", "namespace"]]?.string ?? (type.namespaced ? "default" : nil)
        let key = key(type, namespace: namespace, name: name)
        return try store.write { state throws(APIError) -> JSONValue in
            let old = state.get(key)
            var candidate = object
            if type.namespaced { candidate[path: ["metadata", "namespace"]] = .string(namespace ?? "default") }
            // Seeded objects keep the status they are given.
            let options = WriteOptions(manager: manager, subresource: "")
            var stored = try commit(&state, type: type, key: key, old: old, candidate: candidate, options: options, isApply: false).object
            if type.hasStatus, let status = object["status"], stored["status"] != status {
                stored["status"] = status
                stored = state.update(key, stored)
            }
            return stored
        }
    }

    // MARK: - Checks

    func checkTypeMeta(_ body: JSONValue, _ type: ResourceType) throws(APIError) {
        if let apiVersion = body["apiVersion"]?.string, !apiVersion.isEmpty, apiVersion != type.apiVersion {
            throw APIError.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(type.apiVersion))")
        }
        if let kind = body["kind"]?.string, !kind.isEmpty, kind != type.kind {
            throw APIError.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(type.kind))")
        }
    }

    /// The namespace of a write: the URL's, which the body must agree with.
    func checkNamespace(_ body: JSONValue, _ type: ResourceType, _ namespace: String?) throws(APIError) -> String? {
        guard type.namespaced else { return nil }
        if let given = body[path: ["metadata", "namespace"]]?.string, !given.isEmpty, given != namespace {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        return namespace
    }

    /// New objects need their namespace to exist and not be terminating, as the
    /// NamespaceLifecycle admission plugin insists.
    func requireNamespace(_ state: borrowing StoreState, _ type: ResourceType, _ namespace: String?, name: String) throws(APIError) {
        guard type.namespaced, let namespace else { return }
        let key = ObjectKey(resource: GroupResource(group: "", resource: "namespaces"), namespace: "", name: namespace)
        guard let object = state.get(key) else {
            throw APIError.notFound(resource: "namespaces", group: "", name: namespace)
        }
        if object[path: ["metadata", "deletionTimestamp"]] != nil {
            var error = APIError.forbidden(resource: type.plural, group: type.group, name: name,
                                           "unable to create new content in namespace \(namespace) because it is being terminated")
            error.details?["causes"] = [["reason": "NamespaceTerminating", "message": .string("namespace \(namespace) is being terminated"),
                                         "field": "metadata.namespace"]]
            throw error
        }
    }

    // MARK: - Scale subresource

    /// The autoscaling/v1 Scale of a Deployment, ReplicaSet or StatefulSet.
    func scale(of object: JSONValue, type: ResourceType) -> JSONValue {
        var metadata = JSONObject()
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            if let value = object[path: ["metadata", field]] { metadata.append(field, value) }
        }
        let selector = LabelSelector(labelSelector: object[path: ["spec", "selector"]]).requirements
            .map { $0.key + "=" + ($0.values.first ?? "") }.joined(separator: ",")
        return ["kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(metadata),
                "spec": ["replicas": object[path: ["spec", "replicas"]] ?? 1],
                "status": ["replicas": object[path: ["status", "replicas"]] ?? 0, "selector": .string(selector)]]
    }

    static func scaled(_ object: JSONValue, by scale: JSONValue) -> JSONValue {
        var object = object
        if let replicas = scale[path: ["spec", "replicas"]] { object[path: ["spec", "replicas"]] = replicas }
        return object
    }
}

extension JSONValue {
    /// What Go calls this kind of JSON value in decoding errors.
    var jsonTypeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}
