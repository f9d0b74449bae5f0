import Foundation
import TandemJSON

/// Answers requests: routes them and turns the registry's results and errors into responses.
/// Watches are answered with `.watch` and streamed by the connection.
struct Handlers: Sendable {
    let registry: Registry
    let logs: PodLogs
    let gitVersion: String
    let serverAddress: String

    var catalog: ResourceCatalog { registry.catalog }

    func handle(_ request: APIRequest) -> APIResponse {
        do {
            return try respond(request)
        } catch {
            return .error(error)
        }
    }

    private func respond(_ request: APIRequest) throws(APIError) -> APIResponse {
        let route = Router.route(request.path, catalog: catalog)
        if case .resource(let target) = route { return try resource(request, target) }
        guard request.method == "GET" || request.method == "HEAD" else {
            if case .notFound = route { throw APIError.pathNotFound }
            throw APIError.methodNotAllowed
        }
        switch route {
        case .version:
            return .ok(Discovery.version(gitVersion))
        case .health:
            return .text(status: 200, body: "ok", contentType: "text/plain; charset=utf-8")
        case .coreAPIVersions:
            if let version = Discovery.aggregatedVersion(accept: request.header("Accept")) {
                return .ok(Discovery.aggregated(catalog, core: true, apiVersion: version),
                           contentType: Discovery.aggregatedContentType.replacingOccurrences(of: "v=v2;", with: "v=\(version);"))
            }
            return .ok(Discovery.coreVersions(serverAddress: serverAddress))
        case .groupList:
            if let version = Discovery.aggregatedVersion(accept: request.header("Accept")) {
                return .ok(Discovery.aggregated(catalog, core: false, apiVersion: version),
                           contentType: Discovery.aggregatedContentType.replacingOccurrences(of: "v=v2;", with: "v=\(version);"))
            }
            return .ok(Discovery.groupList(catalog))
        case .group(let group):
            guard let entry = catalog.groupVersions.first(where: { $0.group == group && !group.isEmpty }) else { throw APIError.pathNotFound }
            return .ok(Discovery.apiGroup(group, versions: entry.versions))
        case .resourceList(let group, let version):
            return .ok(Discovery.resourceList(catalog, group: group, version: version))
        case .openAPIv3Root:
            return .ok(OpenAPI.root(catalog))
        case .openAPIv3(let group, let version):
            guard catalog.all.contains(where: { $0.group == group && $0.version == version }) else { throw APIError.pathNotFound }
            return .ok(OpenAPI.document(catalog, group: group, version: version, gitVersion: gitVersion))
        case .openAPIv2, .notFound, .resource:
            throw APIError.pathNotFound
        }
    }

    // MARK: - Resources

    private func resource(_ request: APIRequest, _ target: ResourceTarget) throws(APIError) -> APIResponse {
        let type = target.type
        if type.namespaced, target.name != nil, target.namespace == nil { throw APIError.pathNotFound }
        if target.subresource == "log", type.kind == "Pod", let name = target.name, let namespace = target.namespace {
            return try log(request, type: type, namespace: namespace, pod: name)
        }
        if let subresource = target.subresource {
            guard (subresource == "status" && type.hasStatus) || (subresource == "scale" && type.hasScale) else {
                throw APIError.pathNotFound
            }
        }
        let dryRun = request.queryValues("dryRun").contains("All")
        let subresource = target.subresource ?? ""
        switch (request.method, target.name) {
        case ("GET", nil):
            let labels = try LabelSelector(parsing: request.queryValue("labelSelector") ?? "")
            let fields = try FieldSelector(parsing: request.queryValue("fieldSelector") ?? "")
            if ["1", "true"].contains(request.queryValue("watch") ?? "") {
                return .watch(WatchRequest(type: type, namespace: target.namespace, labelSelector: labels, fieldSelector: fields,
                                           resourceVersion: request.queryValue("resourceVersion"),
                                           allowBookmarks: request.queryValue("allowWatchBookmarks") == "true",
                                           timeoutSeconds: request.queryValue("timeoutSeconds").flatMap { Int($0) },
                                           sendInitialEvents: request.queryValue("sendInitialEvents") == "true",
                                           asTable: request.header("Accept")?.contains("as=Table") ?? false))
            }
            let query = ListQuery(labelSelector: labels, fieldSelector: fields, resourceVersion: request.queryValue("resourceVersion"),
                                  resourceVersionMatch: request.queryValue("resourceVersionMatch"),
                                  limit: request.queryValue("limit").flatMap { Int($0) }, continueToken: request.queryValue("continue"))
            let list = try registry.list(type, namespace: target.namespace, query: query)
            return try tableOrJSON(request, list, type: type)
        case ("GET", let name?) where ["1", "true"].contains(request.queryValue("watch") ?? "") && target.subresource == nil:
            // The legacy watch of one object: the same as a watch with a name field selector.
            var fields = try FieldSelector(parsing: request.queryValue("fieldSelector") ?? "")
            fields.terms.append(FieldSelector.Term(path: ["metadata", "name"], value: name, negated: false))
            return .watch(WatchRequest(type: type, namespace: target.namespace,
                                       labelSelector: try LabelSelector(parsing: request.queryValue("labelSelector") ?? ""),
                                       fieldSelector: fields, resourceVersion: request.queryValue("resourceVersion"),
                                       allowBookmarks: request.queryValue("allowWatchBookmarks") == "true",
                                       timeoutSeconds: request.queryValue("timeoutSeconds").flatMap { Int($0) },
                                       sendInitialEvents: request.queryValue("sendInitialEvents") == "true",
                                       asTable: request.header("Accept")?.contains("as=Table") ?? false))
        case ("GET", let name?):
            let object = try registry.get(type, namespace: target.namespace, name: name)
            if subresource == "scale" { return .ok(registry.scale(of: object, type: type)) }
            return try tableOrJSON(request, object, type: type)
        case ("POST", nil):
            let body = try decodeBody(request)
            let options = WriteOptions(manager: manager(request), dryRun: dryRun)
            return .ok(try registry.create(type, namespace: target.namespace, body: body, options: options), status: 201)
        case ("PUT", let name?):
            let body = try decodeBody(request)
            let options = WriteOptions(manager: manager(request), dryRun: dryRun, subresource: subresource)
            let object = try registry.replace(type, namespace: target.namespace, name: name, body: body, options: options)
            return .ok(subresource == "scale" ? registry.scale(of: object, type: type) : object)
        case ("PATCH", let name?):
            return try patch(request, target, name: name, dryRun: dryRun)
        case ("DELETE", let name?):
            let options = try deleteOptions(request)
            let outcome = try registry.delete(type, namespace: target.namespace, name: name, options: options)
            return .ok(registry.deleteResponse(outcome, type: type))
        case ("DELETE", nil):
            let options = try deleteOptions(request)
            let labels = try LabelSelector(parsing: request.queryValue("labelSelector") ?? "")
            let fields = try FieldSelector(parsing: request.queryValue("fieldSelector") ?? "")
            let list = try registry.list(type, namespace: target.namespace, query: ListQuery(labelSelector: labels, fieldSelector: fields))
            var deleted: [JSONValue] = []
            for item in list["items"]?.array ?? [] {
                guard let name = item[path: ["metadata", "name"]]?.string else { continue }
                let namespace = item[path: ["metadata", "namespace"]]?.string
                switch try? registry.delete(type, namespace: namespace, name: name, options: options) {
                case .deleted(let object)?, .pending(let object)?: deleted.append(object)
                case nil: break
                }
            }
            var result = list
            result["items"] = .array(deleted)
            return .ok(result)
        default:
            throw APIError.methodNotAllowed
        }
    }

    /// `GET pods/NAME/log`: one container's log, as the kubelet serves it, or a stream of it with `follow`.
    private func log(_ request: APIRequest, type: ResourceType, namespace: String, pod name: String) throws(APIError) -> APIResponse {
        guard request.method == "GET" else { throw APIError.methodNotAllowed }
        let pod = try registry.get(type, namespace: namespace, name: name)
        let containers = (pod[path: ["spec", "containers"]]?.array ?? []) + (pod[path: ["spec", "initContainers"]]?.array ?? [])
        let names = containers.compactMap { $0["name"]?.string }
        let container: String
        if let asked = request.queryValue("container") {
            guard names.contains(asked) else {
                throw APIError(code: 400, reason: "BadRequest", message: "container \(asked) is not valid for pod \(name)", details: nil)
            }
            container = asked
        } else if names.count == 1 {
            container = names[0]
        } else {
            throw APIError(code: 400, reason: "BadRequest",
                           message: "a container name must be specified for pod \(name), choose one of: [\(names.joined(separator: " "))]",
                           details: nil)
        }
        func number(_ name: String) throws(APIError) -> Int? {
            guard let text = request.queryValue(name) else { return nil }
            guard let value = Int(text), value >= 0 else {
                throw APIError(code: 400, reason: "BadRequest", message: "\(name): Invalid value: \"\(text)\"", details: nil)
            }
            return value
        }
        let truthy = ["1", "true"]
        let logRequest = LogRequest(key: PodLogs.Key(namespace: namespace, pod: name, container: container),
                                    previous: truthy.contains(request.queryValue("previous") ?? ""),
                                    follow: truthy.contains(request.queryValue("follow") ?? ""),
                                    tailLines: try number("tailLines"), sinceSeconds: try number("sinceSeconds"),
                                    timestamps: truthy.contains(request.queryValue("timestamps") ?? ""))
        if logRequest.previous {
            guard logs.hasPrevious(logRequest.key) else {
                throw APIError(code: 400, reason: "BadRequest",
                               message: "previous terminated container \"\(container)\" in pod \"\(name)\" not found", details: nil)
            }
            return .text(status: 200, body: String(decoding: logRequest.select(logs.lines(logRequest.key, previous: true)), as: UTF8.self),
                         contentType: "text/plain")
        }
        if logRequest.follow { return .log(logRequest) }
        return .text(status: 200, body: String(decoding: logRequest.select(logs.lines(logRequest.key, previous: false)), as: UTF8.self),
                     contentType: "text/plain")
    }

    private func patch(_ request: APIRequest, _ target: ResourceTarget, name: String, dryRun: Bool) throws(APIError) -> APIResponse {
        let contentType = request.header("Content-Type") ?? ""
        guard let kind = PatchKind(contentType: contentType) else { throw APIError.unsupportedMediaType(contentType) }
        let fieldManager = request.queryValue("fieldManager") ?? ""
        let forceValue = request.queryValue("force")
        var causes: [APIError.Cause] = []
        if kind == .apply, fieldManager.isEmpty { causes.append(.required("fieldManager", "is required for apply patch")) }
        if kind != .apply, forceValue != nil { causes.append(.forbidden("force", "may not be specified for non-apply patch")) }
        if !causes.isEmpty { throw APIError.invalid(kind: "PatchOptions", group: "meta.k8s.io", name: "", causes) }
        let body = try decodeBody(request)
        let options = WriteOptions(manager: kind == .apply ? fieldManager : manager(request), dryRun: dryRun,
                                   subresource: target.subresource ?? "")
        let result = try registry.patch(target.type, namespace: target.namespace, name: name, kind: kind, body: body,
                                        options: options, force: forceValue == "true")
        return .ok(result.object, status: result.created ? 201 : 200)
    }

    private func deleteOptions(_ request: APIRequest) throws(APIError) -> DeleteOptions {
        var options = DeleteOptions(json: request.body.isEmpty ? nil : try decodeBody(request))
        if let policy = request.queryValue("propagationPolicy") { options.propagationPolicy = policy }
        if request.queryValues("dryRun").contains("All") { options.dryRun = true }
        if let orphan = request.queryValue("orphanDependents") { options.orphanDependents = orphan == "true" }
        if let policy = options.propagationPolicy, !["Foreground", "Background", "Orphan"].contains(policy) {
            throw APIError.invalid(kind: "DeleteOptions", group: "meta.k8s.io", name: "",
                                   [.notSupported("propagationPolicy", value: "\"\(policy)\"", supported: ["Foreground", "Background", "Orphan"])])
        }
        return options
    }

    /// The field manager of a non-apply write: the `fieldManager` parameter, else the user
    /// agent up to its first `/`, as the apiserver derives it.
    private func manager(_ request: APIRequest) -> String {
        if let given = request.queryValue("fieldManager"), !given.isEmpty { return given }
        let agent = request.userAgent
        let prefix = agent.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        return String((prefix.isEmpty ? "unknown" : prefix).prefix(128))
    }

    private func decodeBody(_ request: APIRequest) throws(APIError) -> JSONValue {
        let contentType = request.header("Content-Type") ?? ""
        if contentType.contains("protobuf") { return try ProtobufBody.decode(request.body) }
        if contentType.contains("cbor") {
            throw APIError(code: 415, reason: "UnsupportedMediaType",
                           message: "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (this test server reads no CBOR)",
                           details: [:])
        }
        do {
            return try JSONReader().read(request.body)
        } catch {
            if contentType.contains("yaml") {
                throw APIError.badRequest("error decoding YAML: this test server reads JSON bodies only (\(error.description))")
            }
            throw APIError.badRequest("Object 'Kind' is missing in '\(String(decoding: request.body.prefix(200), as: UTF8.self))': \(error.description)")
        }
    }

    private func tableOrJSON(_ request: APIRequest, _ value: JSONValue, type: ResourceType) throws(APIError) -> APIResponse {
        if let accept = request.header("Accept"), accept.contains("as=Table") {
            return .ok(Tables.table(for: value, type: type, includeObject: request.queryValue("includeObject")),
                       contentType: "application/json;as=Table;v=v1;g=meta.k8s.io")
        }
        return .ok(value)
    }
}
