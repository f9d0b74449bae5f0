/// An API group, version and kind: what `apiVersion` and `kind` name together.
public struct GroupVersionKind: Sendable, Hashable, CustomStringConvertible {
    /// Empty for the core group (`v1`).
    public var group: String
    public var version: String
    public var kind: String

    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// From `apps/v1` and `Deployment`, or `v1` and `Service`.
    public init(apiVersion: String, kind: String) {
        if let slash = apiVersion.firstIndex(of: "/") {
            group = String(apiVersion[..<slash])
            version = String(apiVersion[apiVersion.index(after: slash)...])
        } else {
            group = ""
            version = apiVersion
        }
        self.kind = kind
    }

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    public var groupKind: GroupKind { GroupKind(group: group, kind: kind) }
    public var description: String { "\(apiVersion), Kind=\(kind)" }
}

/// A group and kind without a version: what stays the same when an API version changes.
public struct GroupKind: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var group: String
    public var kind: String

    public init(group: String, kind: String) {
        self.group = group
        self.kind = kind
    }

    /// `Deployment.apps`, `Service` (for the core group): the form ApplySet annotations use.
    public var description: String { group.isEmpty ? kind : "\(kind).\(group)" }

    public static func < (lhs: GroupKind, rhs: GroupKind) -> Bool { lhs.description < rhs.description }
}

extension GroupVersionKind {
    public static let namespace = GroupVersionKind(group: "", version: "v1", kind: "Namespace")
    public static let service = GroupVersionKind(group: "", version: "v1", kind: "Service")
    public static let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    public static let secret = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    public static let serviceAccount = GroupVersionKind(group: "", version: "v1", kind: "ServiceAccount")
    public static let persistentVolumeClaim = GroupVersionKind(group: "", version: "v1", kind: "PersistentVolumeClaim")
    public static let pod = GroupVersionKind(group: "", version: "v1", kind: "Pod")
    public static let event = GroupVersionKind(group: "", version: "v1", kind: "Event")
    public static let deployment = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")
    public static let statefulSet = GroupVersionKind(group: "apps", version: "v1", kind: "StatefulSet")
    public static let daemonSet = GroupVersionKind(group: "apps", version: "v1", kind: "DaemonSet")
    public static let replicaSet = GroupVersionKind(group: "apps", version: "v1", kind: "ReplicaSet")
    public static let job = GroupVersionKind(group: "batch", version: "v1", kind: "Job")
    public static let cronJob = GroupVersionKind(group: "batch", version: "v1", kind: "CronJob")
    public static let ingress = GroupVersionKind(group: "networking.k8s.io", version: "v1", kind: "Ingress")
    public static let role = GroupVersionKind(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role")
    public static let roleBinding = GroupVersionKind(group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding")
    public static let clusterRole = GroupVersionKind(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole")
    public static let clusterRoleBinding = GroupVersionKind(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding")
    public static let horizontalPodAutoscaler = GroupVersionKind(group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler")
    public static let lease = GroupVersionKind(group: "coordination.k8s.io", version: "v1", kind: "Lease")
    public static let customResourceDefinition = GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition")
}
