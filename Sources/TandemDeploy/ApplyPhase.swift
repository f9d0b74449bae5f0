import KubeModel

/// When an object is applied, relative to others: what others refer to goes first. Objects of
/// one phase are applied concurrently; deletes run the phases backwards.
public enum ApplyPhase: Int, Sendable, Comparable, CaseIterable {
    case namespaces
    case definitions
    case serviceAccounts
    case configuration
    case accessControl
    case services
    case workloads
    case rest

    public static func < (lhs: ApplyPhase, rhs: ApplyPhase) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(_ groupKind: GroupKind) {
        switch (groupKind.group, groupKind.kind) {
        case ("", "Namespace"): self = .namespaces
        case ("apiextensions.k8s.io", "CustomResourceDefinition"): self = .definitions
        case ("", "ServiceAccount"): self = .serviceAccounts
        case ("", "ConfigMap"), ("", "Secret"), ("", "PersistentVolumeClaim"), ("", "LimitRange"), ("", "ResourceQuota"),
             ("storage.k8s.io", "StorageClass"), ("", "PersistentVolume"), ("scheduling.k8s.io", "PriorityClass"),
             ("networking.k8s.io", "NetworkPolicy"), ("policy", "PodDisruptionBudget"):
            self = .configuration
        case ("rbac.authorization.k8s.io", _): self = .accessControl
        case ("", "Service"): self = .services
        case ("apps", _), ("batch", _), ("", "Pod"), ("", "ReplicationController"): self = .workloads
        default: self = .rest
        }
    }
}
