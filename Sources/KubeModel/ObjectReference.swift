/// Which object: its group, version and kind, its namespace (none for cluster-scoped objects)
/// and its name. Objects are compared by group, kind, namespace and name: the version is only
/// how they are spoken of.
public struct ObjectReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var gvk: GroupVersionKind
    public var namespace: String?
    public var name: String

    public init(gvk: GroupVersionKind, namespace: String?, name: String) {
        self.gvk = gvk
        self.namespace = namespace
        self.name = name
    }

    public static func == (lhs: ObjectReference, rhs: ObjectReference) -> Bool {
        lhs.gvk.groupKind == rhs.gvk.groupKind && lhs.namespace == rhs.namespace && lhs.name == rhs.name
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(gvk.groupKind)
        hasher.combine(namespace)
        hasher.combine(name)
    }

    public static func < (lhs: ObjectReference, rhs: ObjectReference) -> Bool {
        (lhs.gvk.groupKind, lhs.namespace ?? "", lhs.name) < (rhs.gvk.groupKind, rhs.namespace ?? "", rhs.name)
    }

    /// `Deployment/web`, as kubectl names objects, with the namespace when there is one.
    public var description: String {
        "\(gvk.kind)/\(name)" + (namespace.map { " (namespace \($0))" } ?? "")
    }

    /// `deployment.apps/web`: kubectl's resource/name form.
    public var kubectlName: String {
        let kind = gvk.kind.lowercased()
        return (gvk.group.isEmpty ? kind : "\(kind).\(gvk.group)") + "/\(name)"
    }
}

private func < (lhs: (GroupKind, String, String), rhs: (GroupKind, String, String)) -> Bool {
    if lhs.0 != rhs.0 { return lhs.0 < rhs.0 }
    if lhs.1 != rhs.1 { return lhs.1 < rhs.1 }
    return lhs.2 < rhs.2
}
