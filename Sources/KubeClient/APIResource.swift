import KubeModel

/// A resource the API server serves: its kind, the plural name in its paths, and its scope.
public struct APIResource: Sendable, Hashable {
    public var gvk: GroupVersionKind
    /// `deployments`, as in `/apis/apps/v1/namespaces/NS/deployments`.
    public var plural: String
    public var namespaced: Bool
    public var verbs: [String]

    public init(gvk: GroupVersionKind, plural: String, namespaced: Bool, verbs: [String] = []) {
        self.gvk = gvk
        self.plural = plural
        self.namespaced = namespaced
        self.verbs = verbs
    }

    /// The path of the collection (name nil) or of one object. A namespaced resource with no
    /// namespace is the collection across all namespaces.
    public func path(namespace: String? = nil, name: String? = nil) -> String {
        var path = gvk.group.isEmpty ? "/api/\(gvk.version)" : "/apis/\(gvk.group)/\(gvk.version)"
        if namespaced, let namespace { path += "/namespaces/\(namespace)" }
        path += "/\(plural)"
        if let name { path += "/\(name)" }
        return path
    }
}
