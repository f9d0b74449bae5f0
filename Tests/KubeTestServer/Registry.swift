import Foundation
import Synchronization
import TandemJSON

/// Who writes and how: the field manager, whether nothing is stored (dry run), and through
/// which subresource (`""` for the object itself, `status`, `scale`).
struct WriteOptions: Sendable {
    var manager: String
    var dryRun = false
    var subresource = ""
}

/// A list request's filters and paging.
struct ListQuery: Sendable {
    var labelSelector = LabelSelector.everything
    var fieldSelector = FieldSelector.everything
    var resourceVersion: String?
    var resourceVersionMatch: String?
    var limit: Int?
    var continueToken: String?
}

/// The API semantics over the store: reads, writes with server-set metadata, defaults,
/// validation, field ownership and optimistic concurrency, and deletion with finalizers. The
/// HTTP handlers and the simulated controllers both go through it.
final class Registry: Sendable {
    let store: Store
    let catalog: ResourceCatalog
    private let allocations = Mutex(Allocations())

    private struct Allocations {
        var nextClusterIP = 10
        var nextNodePort = 30000
    }

    init(store: Store, catalog: ResourceCatalog) {
        self.store = store
        self.catalog = catalog
    }

    func key(_ type: ResourceType, namespace: String?, name: String) -> ObjectKey {
        ObjectKey(resource: type.groupResource, namespace: type.namespaced ? (namespace ?? "") : "", name: name)
    }

    /// The object as served at `type`'s version.
    func present(_ object: JSONValue, as type: ResourceType) -> JSONValue {
        var object = object
        if object["apiVersion"]?.string != type.apiVersion { object["apiVersion"] = .string(type.apiVersion) }
        return object
    }

    // MARK: - Reads

    func get(_ type: ResourceType, namespace: String?, name: String) throws(APIError) -> JSONValue {
        let key = key(type, namespace: namespace, name: name)
        guard let object = store.read({ $0.get(key) }) else {
            throw APIError.notFound(resource: type.plural, group: type.group, name: name)
        }
        return present(object, as: type)
    }

    /// Objects of a resource in a namespace (or all), as stored now; for controllers and tests.
    func objects(_ resource: GroupResource, namespace: String?) -> [JSONValue] {
        store.read { $0.list(resource, namespace: namespace) }
    }

    func object(_ key: ObjectKey) -> JSONValue? { store.read { $0.get(key) } }

    private static let continueTooOld = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."

    /// A list object (`DeploymentList`), filtered and paged as asked.
    func list(_ type: ResourceType, namespace: String?, query: ListQuery) throws(APIError) -> JSONValue {
        var start: (revision: Int, after: String)?
        if let token = query.continueToken, !token.isEmpty {
            guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
                  let bar = text.firstIndex(of: "|"), let revision = Int(text[..<bar])
            else { throw APIError.badRequest("continue key is not valid: illegal base64 data") }
            start = (revision, String(text[text.index(after: bar)...]))
        }
        var exact: Int?
        if let start {
            exact = start.revision
        } else if let text = query.resourceVersion, !text.isEmpty, text != "0" {
            guard let revision = Int(text) else {
                throw APIError.badRequest("resourceVersion: Invalid value: \"\(text)\": must be a valid resourceVersion")
            }
            if query.resourceVersionMatch == "Exact" || (query.resourceVersionMatch == nil && (query.limit ?? 0) > 0) {
                exact = revision
            }
        }
        let resource = type.groupResource
        let scope = type.namespaced ? namespace : nil
        let (items, revision): ([JSONValue], Int) = try store.read { state throws(APIError) in
            guard let exact else { return (state.list(resource, namespace: scope), state.revision) }
            if exact > state.revision {
                throw APIError(code: 504, reason: "Timeout", message: "Too large resource version: \(exact), current: \(state.revision)",
                               details: ["causes": [["reason": "ResourceVersionTooLarge", "message": "Too large resource version"]], "retryAfterSeconds": 1])
            }
            guard let items = state.list(resource, namespace: scope, at: exact) else {
                if start != nil { throw APIError(code: 410, reason: "Expired", message: Self.continueTooOld, details: nil) }
                throw APIError.expired(requested: exact, oldest: state.compactedRevision)
            }
            return (items, exact)
        }
        var matching = items.filter { query.labelSelector.matches(object: $0) && query.fieldSelector.matches($0) }
        if let after = start?.after {
            matching = matching.filter { Self.sortKey($0) > after }
        }
        var metadata = JSONObject()
        metadata.append("resourceVersion", .string(String(revision)))
        if let limit = query.limit, limit > 0, matching.count > limit {
            let remaining = matching.count - limit
            matching = Array(matching.prefix(limit))
            let token = "\(revision)|\(Self.sortKey(matching[matching.count - 1]))"
            metadata.append("continue", .string(Data(token.utf8).base64EncodedString()))
            metadata.append("remainingItemCount", .int(remaining))
        }
        var list = JSONObject()
        list.append("kind", .string(type.listKind))
        list.append("apiVersion", .string(type.apiVersion))
        list.append("metadata", .object(metadata))
        // Typed lists carry no kind or apiVersion on their items; custom resources do.
        list.append("items", .array(matching.map { item in
            var item = present(item, as: type)
            if !type.isCustom {
                item["kind"] = nil
                item["apiVersion"] = nil
            }
            return item
        }))
        return .object(list)
    }

    private static func sortKey(_ object: JSONValue) -> String {
        (object[path: ["metadata", "namespace"]]?.string ?? "") + "/" + (object[path: ["metadata", "name"]]?.string ?? "")
    }

    // MARK: - Service allocation

    /// A cluster IP and node ports for a new Service, kept from the old one on updates.
    func allocate(service object: inout JSONValue, old: JSONValue?) {
        let type = object[path: ["spec", "type"]]?.string ?? "ClusterIP"
        if type == "ExternalName" { return }
        if let ip = old?[path: ["spec", "clusterIP"]], object[path: ["spec", "clusterIP"]] == nil {
            object[path: ["spec", "clusterIP"]] = ip
        }
        if object[path: ["spec", "clusterIP"]] == nil {
            let number = allocations.withLock { state -> Int in
                defer { state.nextClusterIP += 1 }
                return state.nextClusterIP
            }
            object[path: ["spec", "clusterIP"]] = .string("10.96.\(number / 250).\(number % 250 + 1)")
        }
        if object[path: ["spec", "clusterIPs"]] == nil, let ip = object[path: ["spec", "clusterIP"]] {
            object[path: ["spec", "clusterIPs"]] = [ip]
        }
        guard type == "NodePort" || type == "LoadBalancer", var ports = object[path: ["spec", "ports"]]?.array else { return }
        let oldPorts = old?[path: ["spec", "ports"]]?.array ?? []
        for index in ports.indices where ports[index]["nodePort"] == nil {
            if let kept = oldPorts.first(where: { $0["port"] == ports[index]["port"] })?["nodePort"] {
                ports[index]["nodePort"] = kept
            } else {
                let port = allocations.withLock { state -> Int in
                    defer { state.nextNodePort += 1 }
                    return state.nextNodePort
                }
                ports[index]["nodePort"] = .int(port)
            }
        }
        object[path: ["spec", "ports"]] = .array(ports)
    }
}
