import KubeModel

/// What a delivery reports as it goes, for a progress display, a controller's Events or a dashboard.
public enum DeliveryEvent: Sendable {
    /// A step starts applying its objects.
    case stepStarted(String)
    case applied(ObjectReference, ObjectAction, dryRun: Bool)
    case pruned(ObjectReference, dryRun: Bool)
    /// The health of what a step waits for changed (`step` nil: the whole application's).
    case health(step: String?, ApplicationHealth)
    /// A step's gate holds.
    case stepReady(String)
}
