import KubeClient
import KubeModel

/// Finds an ApplySet's members: for each kind the parent records, in each namespace it records
/// (cluster-scoped kinds once), the objects that carry the set's part-of label.
package struct MemberListing: Sendable {
    var client: KubeClient
    var set: ApplySet
    /// Versions already known (from the plan), which spare a discovery request.
    var versions: [GroupKind: GroupVersionKind] = [:]

    package init(client: KubeClient, set: ApplySet, versions: [GroupKind: GroupVersionKind] = [:]) {
        self.client = client
        self.set = set
        self.versions = versions
    }

    package func members(of record: ApplySetRecord, parentNamespace: String?) async throws -> [ObjectReference: KubeObject] {
        var queries: [(APIResource, String?)] = []
        let namespaces = Set([parentNamespace].compactMap { $0 }).union(record.additionalNamespaces).sorted()
        for groupKind in record.groupKinds.sorted() {
            guard let resource = try await resource(for: groupKind) else { continue }
            if resource.namespaced {
                queries += namespaces.map { (resource, $0) }
            } else {
                queries.append((resource, nil))
            }
        }
        let client = self.client
        let selector = set.memberSelector
        let lists = await concurrentMap(queries, limit: 8) { resource, namespace -> Result<[KubeObject], any Error> in
            do {
                return .success(try await client.list(resource, namespace: namespace, labelSelector: selector).items)
            } catch {
                return .failure(error)
            }
        }
        var members: [ObjectReference: KubeObject] = [:]
        for list in lists {
            for object in try list.get() { members[object.reference] = object }
        }
        return members
    }

    /// The served resource of a kind, in any version the server prefers; nil when the server no
    /// longer serves it (its definition was deleted: nothing of it is left to prune).
    private func resource(for groupKind: GroupKind) async throws -> APIResource? {
        do {
            if let gvk = versions[groupKind] { return try await client.resource(for: gvk) }
            return try await client.resource(for: groupKind)
        } catch let error as KubeError {
            if case .configuration = error { return nil }
            throw error
        }
    }
}
