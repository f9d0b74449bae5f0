import Foundation

/// How the local runtime names and labels what it creates in podman. Application names are
/// DNS subdomains and pod and container names DNS labels, none with an underscore: joining them
/// with `_` can never make two applications' names collide.
public enum LocalNames {
    /// The label every podman object of an application carries; `down --local` removes by it.
    public static let appLabel = "io.tandem.local.app"
    /// The Kubernetes pod a podman pod or container stands for.
    public static let podLabel = "io.tandem.local.pod"
    /// The Service a podman pod stands for.
    public static let serviceLabel = "io.tandem.local.service"
    /// The container's name in the pod spec, and its role (`main`, `sidecar`, `native-sidecar`, `init`).
    public static let containerLabel = "io.tandem.local.container"
    public static let roleLabel = "io.tandem.local.role"
    /// What kind of volume a podman volume stands for: `emptyDir` (removed with the pod) or
    /// `claim` (kept with `down --local --keep-volumes`).
    public static let volumeKindLabel = "io.tandem.local.volume"

    /// What an application is known by locally — its state folder, its label, the start of every
    /// podman name — keyed by namespace and name, so that two namespaces run side by side:
    /// `shop` in `default`, `team-a_shop` in `team-a` (a namespace has no underscore either).
    public static func key(namespace: String, name: String) -> String {
        namespace == "default" ? name : "\(namespace)_\(name)"
    }

    public static func pod(_ application: String, _ pod: String) -> String { "\(application)_\(pod)" }

    public static func container(_ application: String, _ pod: String, _ container: String) -> String {
        "\(application)_\(pod)_\(container)"
    }

    public static func emptyDir(_ application: String, _ pod: String, _ volume: String) -> String {
        "\(application)_\(pod)_\(volume)"
    }

    /// The application's podman network.
    public static func network(_ application: String) -> String { "\(application)_network" }

    /// A Service's podman pod (a pod's name has no underscore: `service_` cannot start one).
    public static func service(_ application: String, _ service: String) -> String { "\(application)_service_\(service)" }

    /// A claim's volume is the application's, whichever pod mounts it, as a PVC outlives its pods.
    public static func claim(_ application: String, _ claim: String) -> String { "\(application)_claim_\(claim)" }

    /// A podman secret holds one value: one per key of a Secret.
    public static func secret(_ application: String, _ secret: String, _ key: String) -> String {
        "\(application)_secret_\(secret)_\(key)"
    }

    /// Every name the runtime gives for `application` starts with this.
    public static func prefix(_ application: String) -> String { "\(application)_" }
}
