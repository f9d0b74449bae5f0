import TandemJSON

/// `/version`, and discovery in both forms: the legacy documents (`/api`, `/apis`, `/api/v1`,
/// `/apis/G`, `/apis/G/V`) and aggregated discovery (`APIGroupDiscoveryList`), which kubectl asks
/// for first and which must carry its media type parameters in the Content-Type.
enum Discovery {
    static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    static let subresourceVerbs: [JSONValue] = ["get", "patch", "update"]

    /// `v1.31.0` from `1.31`, `v1.31` or `v1.31.0`: kubectl needs a full semantic version.
    static func normalized(_ version: String) -> String {
        let bare = version.hasPrefix("v") ? String(version.dropFirst()) : version
        let parts = bare.split(separator: ".", maxSplits: 2).map(String.init)
        return "v" + (parts.count == 2 ? bare + ".0" : bare)
    }

    static func version(_ given: String) -> JSONValue {
        let gitVersion = normalized(given)
        let numbers = gitVersion.dropFirst().split(separator: ".")
        let major = numbers.first.map(String.init) ?? "1"
        let minor = numbers.count > 1 ? String(numbers[1].prefix { $0.isNumber }) : "0"
        return ["major": .string(major), "minor": .string(minor), "gitVersion": .string(gitVersion),
                "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
                "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.23.4", "compiler": "gc", "platform": "linux/amd64"]
    }

    /// Which aggregated version the Accept header asks for, if any (`v2`, `v2beta1`).
    static func aggregatedVersion(accept: String?) -> String? {
        guard let accept, accept.contains("as=APIGroupDiscoveryList") else { return nil }
        for option in accept.split(separator: ",") where option.contains("as=APIGroupDiscoveryList") {
            if option.contains("v=v2beta1") { return "v2beta1" }
            if option.contains("v=v2") { return "v2" }
        }
        return nil
    }

    static func coreVersions(serverAddress: String) -> JSONValue {
        ["kind": "APIVersions", "versions": ["v1"],
         "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]]]
    }

    private static func groupVersions(_ group: String, _ versions: [String]) -> [JSONValue] {
        versions.map { ["groupVersion": .string("\(group)/\($0)"), "version": .string($0)] }
    }

    static func apiGroup(_ group: String, versions: [String]) -> JSONValue {
        let list = groupVersions(group, versions)
        return ["kind": "APIGroup", "apiVersion": "v1", "name": .string(group), "versions": .array(list),
                "preferredVersion": list.first ?? .null]
    }

    static func groupList(_ catalog: ResourceCatalog) -> JSONValue {
        let groups: [JSONValue] = catalog.groupVersions.filter { !$0.group.isEmpty }.map { entry in
            let list = groupVersions(entry.group, entry.versions)
            return ["name": .string(entry.group), "versions": .array(list), "preferredVersion": list.first ?? .null]
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups)]
    }

    static func resourceList(_ catalog: ResourceCatalog, group: String, version: String) -> JSONValue {
        var resources: [JSONValue] = []
        for type in catalog.all where type.group == group && type.version == version {
            var entry = JSONObject()
            entry.append("name", .string(type.plural))
            entry.append("singularName", .string(type.singular))
            entry.append("namespaced", .bool(type.namespaced))
            entry.append("kind", .string(type.kind))
            entry.append("verbs", .array(type.verbs.map(JSONValue.string)))
            if !type.shortNames.isEmpty { entry.append("shortNames", .array(type.shortNames.map(JSONValue.string))) }
            if !type.categories.isEmpty { entry.append("categories", .array(type.categories.map(JSONValue.string))) }
            resources.append(.object(entry))
            if type.hasStatus {
                resources.append(["name": .string(type.plural + "/status"), "singularName": "", "namespaced": .bool(type.namespaced),
                                  "kind": .string(type.kind), "verbs": .array(subresourceVerbs)])
            }
            if type.hasScale {
                resources.append(["name": .string(type.plural + "/scale"), "singularName": "", "namespaced": .bool(type.namespaced),
                                  "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": .array(subresourceVerbs)])
            }
        }
        let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion), "resources": .array(resources)]
    }

    /// The aggregated document of the core group (`/api`) or of the named groups (`/apis`).
    static func aggregated(_ catalog: ResourceCatalog, core: Bool, apiVersion: String) -> JSONValue {
        var items: [JSONValue] = []
        for entry in catalog.groupVersions where entry.group.isEmpty == core {
            let versions: [JSONValue] = entry.versions.map { version in
                let resources: [JSONValue] = catalog.all.filter { $0.group == entry.group && $0.version == version }.map(resource)
                return ["version": .string(version), "resources": .array(resources), "freshness": "Current"]
            }
            items.append(["metadata": ["name": .string(entry.group), "creationTimestamp": nil], "versions": .array(versions)])
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": .string("apidiscovery.k8s.io/\(apiVersion)"),
                "metadata": .object([:]), "items": .array(items)]
    }

    private static func resource(_ type: ResourceType) -> JSONValue {
        var entry = JSONObject()
        entry.append("resource", .string(type.plural))
        entry.append("responseKind", ["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)])
        entry.append("scope", type.namespaced ? "Namespaced" : "Cluster")
        entry.append("singularResource", .string(type.singular))
        entry.append("verbs", .array(type.verbs.map(JSONValue.string)))
        if !type.shortNames.isEmpty { entry.append("shortNames", .array(type.shortNames.map(JSONValue.string))) }
        if !type.categories.isEmpty { entry.append("categories", .array(type.categories.map(JSONValue.string))) }
        var subresources: [JSONValue] = []
        if type.hasStatus {
            subresources.append(["subresource": "status",
                                 "responseKind": ["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)],
                                 "verbs": .array(subresourceVerbs)])
        }
        if type.hasScale {
            subresources.append(["subresource": "scale", "responseKind": ["group": "autoscaling", "version": "v1", "kind": "Scale"],
                                 "verbs": .array(subresourceVerbs)])
        }
        if !subresources.isEmpty { entry.append("subresources", .array(subresources)) }
        return .object(entry)
    }
}

/// The OpenAPI v3 that kubectl needs to apply with server-side field validation: a root listing
/// every group-version, and per group-version a PATCH operation for each kind that declares the
/// `fieldValidation` parameter. No schemas: `kubectl explain` and client-side validation get none.
enum OpenAPI {
    static func root(_ catalog: ResourceCatalog) -> JSONValue {
        var paths = JSONObject()
        for entry in catalog.groupVersions {
            for version in entry.versions {
                let path = entry.group.isEmpty ? "api/\(version)" : "apis/\(entry.group)/\(version)"
                let hash = String(NameSuffix.hash(JSONWriter.compact(document(catalog, group: entry.group, version: version, gitVersion: ""))), radix: 16)
                paths.append(path, ["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(hash.uppercased())")])
            }
        }
        return ["paths": .object(paths)]
    }

    static func document(_ catalog: ResourceCatalog, group: String, version: String, gitVersion: String) -> JSONValue {
        var paths = JSONObject()
        let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        for type in catalog.all where type.group == group && type.version == version {
            let collection = type.namespaced ? "\(prefix)/namespaces/{namespace}/\(type.plural)" : "\(prefix)/\(type.plural)"
            let gvk: JSONValue = ["group": .string(group), "version": .string(version), "kind": .string(type.kind)]
            let fieldValidation: JSONValue = ["name": "fieldValidation", "in": "query", "schema": ["type": "string", "uniqueItems": true]]
            let operation: JSONValue = ["x-kubernetes-action": "patch", "x-kubernetes-group-version-kind": gvk,
                                        "parameters": [fieldValidation]]
            let create: JSONValue = ["x-kubernetes-action": "post", "x-kubernetes-group-version-kind": gvk, "parameters": [fieldValidation]]
            paths.append(collection + "/{name}", ["patch": operation, "put": operation])
            paths.append(collection, ["post": create])
        }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": .string(gitVersion)], "paths": .object(paths),
                "components": ["schemas": .object([:])]]
    }
}
