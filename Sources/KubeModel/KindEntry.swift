/// What Tandem knows about one kind: one entry of `KindCatalog`.
public struct KindEntry: Sendable, Hashable {
    public var groupKind: GroupKind
    /// The resource (plural) its API serves it as, `networkpolicies`: what RBAC rules name.
    public var resource: String
    /// Where its objects live; discovery has the last word against a cluster.
    public var scope: ResourceScope
    public var phase: ApplyPhase
    public var health: HealthRule
    /// The `spec` fields health reads, which a watch cache keeps of each object (the rest is
    /// trimmed away); its status is kept when `health.readsStatus`.
    public var keptSpecFields: [String]
    /// Where its pod spec is, for kinds that run pods.
    public var podSpecPath: [String]?
    public var local: LocalEmulation

    public init(_ groupKind: GroupKind, resource: String? = nil, scope: ResourceScope = .namespaced, phase: ApplyPhase,
                health: HealthRule = .alwaysReady, keptSpecFields: [String] = [], podSpecPath: [String]? = nil,
                local: LocalEmulation = .none) {
        self.groupKind = groupKind
        self.resource = resource ?? Self.guessedResource(groupKind.kind)
        self.scope = scope
        self.phase = phase
        self.health = health
        self.keptSpecFields = keptSpecFields
        self.podSpecPath = podSpecPath
        self.local = local
    }

    /// The plural as Kubernetes' RESTMapper guesses it for built-in kinds: lower case, then
    /// `-s` → `-ses`, `-y` → `-ies`, else `-s`. Right for every kind the catalog lists; a kind
    /// it gets wrong passes its `resource` explicitly.
    public static func guessedResource(_ kind: String) -> String {
        let lower = kind.lowercased()
        if lower.hasSuffix("s") { return lower + "es" }
        if lower.hasSuffix("y") { return lower.dropLast() + "ies" }
        return lower + "s"
    }

    /// A kind the catalog does not list: namespaced, applied last; a custom resource (a group
    /// with a dot, outside `*.k8s.io`) reports its own conditions, a built-in kind has no rule.
    public static func unlisted(_ groupKind: GroupKind) -> KindEntry {
        let custom = groupKind.group.contains(".") && !groupKind.group.hasSuffix(".k8s.io")
        return KindEntry(groupKind, phase: .rest, health: custom ? .generic : .alwaysReady)
    }
}
