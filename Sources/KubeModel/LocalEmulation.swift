/// What the local runtime makes of a kind.
public enum LocalEmulation: Sendable, Hashable {
    /// Runs its pod template as pods.
    case workload
    /// Runs once, as a Job, when asked to.
    case cronJob
    /// A volume the pods mount.
    case volume
    /// Read by the pods that refer to it (ConfigMaps, Secrets); nothing of its own runs.
    case configuration
    /// Reached by its name from the application's pods, and routed to the pods it selects.
    case service
    /// Not emulated: said so in the plan's notes.
    case none
}
