/// One probe field of one container of a pod.
public struct ProbeSlot: Hashable, Sendable {
    public var container: String
    public var field: String

    public init(container: String, field: String) {
        self.container = container
        self.field = field
    }

    /// The probe fields of a container.
    public static let fields = ["livenessProbe", "readinessProbe", "startupProbe"]
}
