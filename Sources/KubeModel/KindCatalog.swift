/// Everything Tandem knows about kinds, one entry per group and kind: scope, apply phase, health
/// rule, the fields a watch cache keeps, the pod spec's place, the local emulation. Every
/// module looks kinds up here instead of keeping a list of its own.
public enum KindCatalog {
    public static func entry(for groupKind: GroupKind) -> KindEntry {
        byGroupKind[groupKind] ?? .unlisted(groupKind)
    }

    public static let entries: [KindEntry] = {
        let template = ["spec", "template", "spec"]
        func core(_ kind: String) -> GroupKind { GroupKind(group: "", kind: kind) }
        func kind(_ group: String, _ kind: String) -> GroupKind { GroupKind(group: group, kind: kind) }
        let rbac = "rbac.authorization.k8s.io"
        let admission = "admissionregistration.k8s.io"
        return [
            KindEntry(core("Namespace"), scope: .cluster, phase: .namespaces),
            KindEntry(kind("apiextensions.k8s.io", "CustomResourceDefinition"), scope: .cluster, phase: .definitions,
                      health: .customResourceDefinition),
            KindEntry(core("ServiceAccount"), phase: .serviceAccounts),

            KindEntry(core("ConfigMap"), phase: .configuration, local: .configuration),
            KindEntry(core("Secret"), phase: .configuration, local: .configuration),
            KindEntry(core("PersistentVolumeClaim"), phase: .configuration, health: .persistentVolumeClaim, local: .volume),
            KindEntry(core("LimitRange"), phase: .configuration),
            KindEntry(core("ResourceQuota"), phase: .configuration),
            KindEntry(core("PersistentVolume"), scope: .cluster, phase: .configuration),
            KindEntry(kind("storage.k8s.io", "StorageClass"), scope: .cluster, phase: .configuration),
            KindEntry(kind("scheduling.k8s.io", "PriorityClass"), scope: .cluster, phase: .configuration),
            KindEntry(kind("networking.k8s.io", "NetworkPolicy"), phase: .configuration),
            KindEntry(kind("policy", "PodDisruptionBudget"), phase: .configuration),

            KindEntry(kind(rbac, "Role"), phase: .accessControl),
            KindEntry(kind(rbac, "RoleBinding"), phase: .accessControl),
            KindEntry(kind(rbac, "ClusterRole"), scope: .cluster, phase: .accessControl),
            KindEntry(kind(rbac, "ClusterRoleBinding"), scope: .cluster, phase: .accessControl),

            KindEntry(core("Service"), phase: .services, health: .service, keptSpecFields: ["type", "clusterIP"], local: .service),

            KindEntry(kind("apps", "Deployment"), phase: .workloads, health: .deployment,
                      keptSpecFields: ["replicas", "selector", "progressDeadlineSeconds"], podSpecPath: template, local: .workload),
            KindEntry(kind("extensions", "Deployment"), phase: .workloads, health: .deployment,
                      keptSpecFields: ["replicas", "selector", "progressDeadlineSeconds"], podSpecPath: template),
            KindEntry(kind("apps", "StatefulSet"), phase: .workloads, health: .statefulSet,
                      keptSpecFields: ["replicas", "selector", "updateStrategy"], podSpecPath: template, local: .workload),
            KindEntry(kind("apps", "DaemonSet"), phase: .workloads, health: .daemonSet,
                      keptSpecFields: ["selector", "updateStrategy"], podSpecPath: template, local: .workload),
            KindEntry(kind("extensions", "DaemonSet"), phase: .workloads, health: .daemonSet,
                      keptSpecFields: ["selector", "updateStrategy"], podSpecPath: template),
            KindEntry(kind("apps", "ReplicaSet"), phase: .workloads, health: .replicaSet,
                      keptSpecFields: ["replicas", "selector"], podSpecPath: template),
            KindEntry(kind("apps", "ControllerRevision"), phase: .workloads),
            KindEntry(kind("batch", "Job"), phase: .workloads, health: .job,
                      keptSpecFields: ["parallelism", "completions", "selector"], podSpecPath: template, local: .workload),
            KindEntry(kind("batch", "CronJob"), phase: .workloads,
                      podSpecPath: ["spec", "jobTemplate", "spec", "template", "spec"], local: .cronJob),
            KindEntry(core("Pod"), phase: .workloads, health: .pod),
            KindEntry(core("ReplicationController"), phase: .workloads, health: .generic, keptSpecFields: ["replicas", "selector"]),

            KindEntry(kind("autoscaling", "HorizontalPodAutoscaler"), phase: .rest, health: .generic),
            KindEntry(kind("networking.k8s.io", "Ingress"), phase: .rest),
            KindEntry(kind("networking.k8s.io", "IngressClass"), scope: .cluster, phase: .rest),

            KindEntry(core("Node"), scope: .cluster, phase: .rest),
            KindEntry(kind("storage.k8s.io", "CSIDriver"), scope: .cluster, phase: .rest),
            KindEntry(kind("storage.k8s.io", "CSINode"), scope: .cluster, phase: .rest),
            KindEntry(kind("storage.k8s.io", "VolumeAttachment"), scope: .cluster, phase: .rest),
            KindEntry(kind("node.k8s.io", "RuntimeClass"), scope: .cluster, phase: .rest),
            KindEntry(kind("apiregistration.k8s.io", "APIService"), scope: .cluster, phase: .rest),
            KindEntry(kind(admission, "MutatingWebhookConfiguration"), scope: .cluster, phase: .rest),
            KindEntry(kind(admission, "ValidatingWebhookConfiguration"), scope: .cluster, phase: .rest),
            KindEntry(kind(admission, "ValidatingAdmissionPolicy"), scope: .cluster, phase: .rest),
            KindEntry(kind(admission, "ValidatingAdmissionPolicyBinding"), scope: .cluster, phase: .rest),
            KindEntry(kind("flowcontrol.apiserver.k8s.io", "FlowSchema"), scope: .cluster, phase: .rest),
            KindEntry(kind("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"), scope: .cluster, phase: .rest),
            KindEntry(kind("certificates.k8s.io", "CertificateSigningRequest"), scope: .cluster, phase: .rest),
        ]
    }()

    private static let byGroupKind: [GroupKind: KindEntry] = Dictionary(entries.map { ($0.groupKind, $0) }, uniquingKeysWith: { first, _ in first })
}
