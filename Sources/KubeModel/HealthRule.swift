/// Which rule judges a kind's health (the rules themselves are in TandemDeploy's `HealthRules`).
public enum HealthRule: Sendable, Hashable {
    case deployment, statefulSet, daemonSet, replicaSet, job, pod, persistentVolumeClaim, service, customResourceDefinition
    /// kstatus's generic checks only (observed generation, `Reconciling` and `Stalled`): custom
    /// resources and built-in kinds with a status but no rule of their own.
    case generic
    /// No status to read: applied is healthy (ConfigMaps, Secrets, RBAC).
    case alwaysReady

    /// Whether health reads the live object's status, so that it must be read back or watched.
    public var readsStatus: Bool { self != .alwaysReady }
}
