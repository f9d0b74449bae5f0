/// Which kinds live outside namespaces. Rendering uses the built-in table; against a cluster,
/// discovery answers for every kind it serves (custom resources included).
public enum ResourceScope: Sendable {
    case namespaced
    case cluster

    /// The built-in cluster-scoped kinds, by group and kind.
    public static let builtInClusterScoped: Set<GroupKind> = [
        GroupKind(group: "", kind: "Namespace"), GroupKind(group: "", kind: "Node"), GroupKind(group: "", kind: "PersistentVolume"),
        GroupKind(group: "rbac.authorization.k8s.io", kind: "ClusterRole"),
        GroupKind(group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding"),
        GroupKind(group: "apiextensions.k8s.io", kind: "CustomResourceDefinition"),
        GroupKind(group: "storage.k8s.io", kind: "StorageClass"), GroupKind(group: "storage.k8s.io", kind: "CSIDriver"),
        GroupKind(group: "storage.k8s.io", kind: "CSINode"), GroupKind(group: "storage.k8s.io", kind: "VolumeAttachment"),
        GroupKind(group: "scheduling.k8s.io", kind: "PriorityClass"), GroupKind(group: "networking.k8s.io", kind: "IngressClass"),
        GroupKind(group: "node.k8s.io", kind: "RuntimeClass"), GroupKind(group: "apiregistration.k8s.io", kind: "APIService"),
        GroupKind(group: "admissionregistration.k8s.io", kind: "MutatingWebhookConfiguration"),
        GroupKind(group: "admissionregistration.k8s.io", kind: "ValidatingWebhookConfiguration"),
        GroupKind(group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicy"),
        GroupKind(group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicyBinding"),
        GroupKind(group: "flowcontrol.apiserver.k8s.io", kind: "FlowSchema"),
        GroupKind(group: "flowcontrol.apiserver.k8s.io", kind: "PriorityLevelConfiguration"),
        GroupKind(group: "certificates.k8s.io", kind: "CertificateSigningRequest"),
    ]

    /// The scope of a kind by the built-in table: custom resources are taken as namespaced.
    public static func builtIn(_ groupKind: GroupKind) -> ResourceScope {
        builtInClusterScoped.contains(groupKind) ? .cluster : .namespaced
    }
}
