import KubeModel
import TandemJSON

/// Which resources the server serves, asked once per API group version and kept: a run asks
/// `/apis/apps/v1` once however many Deployments it applies.
actor Discovery {
    private var groups: [String: Task<[APIResource]?, any Error>] = [:]

    func resource(for gvk: GroupVersionKind, api: any KubeAPI) async throws -> APIResource {
        guard let resources = try await resources(of: gvk.apiVersion, api: api) else {
            throw KubeError.configuration("the cluster does not serve \(gvk.apiVersion), which \(gvk.kind) needs"
                + (gvk.group.isEmpty || gvk.group.hasSuffix(".k8s.io") || !gvk.group.contains(".") ? ""
                    : "; is the custom resource definition for \(gvk.groupKind) installed?"))
        }
        guard let resource = resources.first(where: { $0.gvk.kind == gvk.kind }) else {
            throw KubeError.configuration("the cluster serves \(gvk.apiVersion) but not the kind \(gvk.kind)")
        }
        return resource
    }

    /// The resources of one group version; nil when the server does not serve it.
    func resources(of apiVersion: String, api: any KubeAPI) async throws -> [APIResource]? {
        if let pending = groups[apiVersion] { return try await pending.value }
        let task = Task<[APIResource]?, any Error> {
            let path = apiVersion.contains("/") ? "/apis/\(apiVersion)" : "/api/\(apiVersion)"
            let json: JSONValue
            do {
                json = try await Self.get(path, api: api)
            } catch let error as KubeError where error.isNotFound {
                return nil
            }
            return Self.parse(json, apiVersion: apiVersion)
        }
        groups[apiVersion] = task
        do {
            return try await task.value
        } catch {
            groups[apiVersion] = nil  // a failure is not remembered: the next caller asks again
            throw error
        }
    }

    private var preferred: [String: Task<String?, any Error>] = [:]

    /// The resource of a kind in the version the server prefers for its group.
    func resource(for groupKind: GroupKind, api: any KubeAPI) async throws -> APIResource {
        guard let version = try await preferredVersion(of: groupKind.group, api: api) else {
            throw KubeError.configuration("the cluster does not serve the API group \(groupKind.group), which \(groupKind.kind) needs")
        }
        return try await resource(for: GroupVersionKind(group: groupKind.group, version: version, kind: groupKind.kind), api: api)
    }

    private func preferredVersion(of group: String, api: any KubeAPI) async throws -> String? {
        if group.isEmpty { return "v1" }
        if let pending = preferred[group] { return try await pending.value }
        let task = Task<String?, any Error> {
            do {
                let json = try await Self.get("/apis/\(group)", api: api)
                return json[path: ["preferredVersion", "version"]]?.string ?? json["versions"]?.array?.first?["version"]?.string
            } catch let error as KubeError where error.isNotFound {
                return nil
            }
        }
        preferred[group] = task
        do {
            return try await task.value
        } catch {
            preferred[group] = nil
            throw error
        }
    }

    /// Forgets what was learned (a CRD was installed).
    func reset() {
        groups = [:]
        preferred = [:]
    }

    static func parse(_ json: JSONValue, apiVersion: String) -> [APIResource] {
        (json["resources"]?.array ?? []).compactMap { entry in
            guard let name = entry["name"]?.string, !name.contains("/"), let kind = entry["kind"]?.string else { return nil }
            return APIResource(gvk: GroupVersionKind(apiVersion: apiVersion, kind: kind), plural: name,
                               namespaced: entry["namespaced"]?.bool ?? true, verbs: entry["verbs"]?.strings ?? [])
        }
    }
}

extension Discovery {
    static func get(_ path: String, api: any KubeAPI) async throws -> JSONValue {
        let response = try await api.sendRaw(KubeRequest(.get, path))
        do {
            return try JSONReader().read(response.body)
        } catch {
            throw KubeError.invalidResponse(request: "GET \(path)", reason: "the body is not JSON (\(error))")
        }
    }
}
