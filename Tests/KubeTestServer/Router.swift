/// Where a request path leads.
enum Route {
    case version
    case health
    case coreAPIVersions
    case groupList
    case group(String)
    case resourceList(group: String, version: String)
    case openAPIv2
    case openAPIv3Root
    case openAPIv3(group: String, version: String)
    case resource(ResourceTarget)
    case notFound
}

/// A resource path: the type, the namespace from the path, the object name and subresource.
struct ResourceTarget {
    var type: ResourceType
    var namespace: String?
    var name: String?
    var subresource: String?
}

enum Router {
    static func route(_ path: String, catalog: ResourceCatalog) -> Route {
        let segments = path.split(separator: "/").map(String.init)
        switch segments.first {
        case "version"?: return segments.count == 1 ? .version : .notFound
        case "healthz"?, "livez"?, "readyz"?: return .health
        case "openapi"?:
            if segments == ["openapi", "v2"] { return .openAPIv2 }
            if segments == ["openapi", "v3"] { return .openAPIv3Root }
            if segments.count == 4, segments[1] == "v3", segments[2] == "api" { return .openAPIv3(group: "", version: segments[3]) }
            if segments.count == 5, segments[1] == "v3", segments[2] == "apis" { return .openAPIv3(group: segments[3], version: segments[4]) }
            return .notFound
        case "api"?:
            if segments.count == 1 { return .coreAPIVersions }
            return resourcePath(group: "", version: segments[1], rest: Array(segments.dropFirst(2)), catalog: catalog)
        case "apis"?:
            if segments.count == 1 { return .groupList }
            if segments.count == 2 { return .group(segments[1]) }
            return resourcePath(group: segments[1], version: segments[2], rest: Array(segments.dropFirst(3)), catalog: catalog)
        default:
            return .notFound
        }
    }

    private static func resourcePath(group: String, version: String, rest: [String], catalog: ResourceCatalog) -> Route {
        guard catalog.all.contains(where: { $0.group == group && $0.version == version }) else { return .notFound }
        if rest.isEmpty { return .resourceList(group: group, version: version) }
        var rest = rest[...]
        var namespace: String?
        // `namespaces/NAME/status` is the namespace's own subresource, not a collection.
        if rest.count >= 3, rest.first == "namespaces", !["status", "finalize"].contains(rest[rest.startIndex + 2]) {
            namespace = rest[rest.startIndex + 1]
            rest = rest.dropFirst(2)
        }
        guard let plural = rest.first, let type = catalog.find(group: group, version: version, plural: plural) else { return .notFound }
        rest = rest.dropFirst()
        guard rest.count <= 2 else { return .notFound }
        if namespace != nil, !type.namespaced { return .notFound }
        return .resource(ResourceTarget(type: type, namespace: namespace, name: rest.first, subresource: rest.dropFirst().first))
    }
}
