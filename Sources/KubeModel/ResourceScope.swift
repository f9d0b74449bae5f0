/// Which kinds live outside namespaces. Rendering uses the kind catalog; against a cluster,
/// discovery answers for every kind it serves (custom resources included).
public enum ResourceScope: Sendable, Hashable {
    case namespaced
    case cluster

    /// The scope of a kind by the catalog: custom resources are taken as namespaced.
    public static func builtIn(_ groupKind: GroupKind) -> ResourceScope {
        KindCatalog.entry(for: groupKind).scope
    }
}
