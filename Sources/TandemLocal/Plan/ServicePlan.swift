import Foundation
import TandemJSON

/// A Kubernetes Service, run locally as a podman pod of its own on the application's network:
/// podman's DNS answers the Service's names (`api`, `api.NAMESPACE`, `api.NAMESPACE.svc`,
/// `api.NAMESPACE.svc.cluster.local`) with that pod's address, as a cluster's DNS answers with
/// the Service's ClusterIP, and `tandem local-forward`, run in that pod's network, takes each
/// connection to a ready pod the Service selects, in turn, at the port it targets.
public struct ServicePlan: Codable, Sendable, Hashable {
    /// Its Kubernetes name.
    public var name: String
    public var podmanName: String
    /// The names the application's pods reach it by.
    public var aliases: [String]
    /// Nil when it selects nothing (its endpoints would be written by hand on a cluster).
    public var selector: [String: String]?
    public var ports: [ServicePort]
    /// Its TCP ports on this machine (`--publish`): each reaches every ready pod in turn.
    public var publish: [PortMapping]
    /// The object as rendered, JSON text.
    public var object: String

    /// Whether it sends to `pod`.
    public func selects(_ pod: PodPlan) -> Bool {
        guard let selector, !selector.isEmpty else { return false }
        return selector.allSatisfy { pod.labels[$0.key] == $0.value }
    }
}

/// One port of a Service.
public struct ServicePort: Codable, Sendable, Hashable {
    public var name: String?
    public var port: Int
    /// `tcp`, `udp` or `sctp`: only TCP is forwarded.
    public var proto: String
    /// `targetPort` as a number, else as the name of a container port.
    public var targetNumber: Int?
    public var targetName: String?

    /// The container port it reaches in `pod`: a named target is looked up in the pod's
    /// containers, as the endpoints controller does; nil when the pod has no port of that name.
    public func target(in pod: PodPlan) -> Int? {
        if let targetNumber { return targetNumber }
        guard let targetName, let spec = try? JSONReader().read(pod.spec) else { return nil }
        for container in (spec["containers"]?.array ?? []) + (spec["initContainers"]?.array ?? []) {
            for port in container["ports"]?.array ?? [] where port["name"]?.string == targetName {
                return port["containerPort"]?.int
            }
        }
        return nil
    }

    /// How the endpoints file and the forwarder name it: `8080/tcp`.
    public var key: String { "\(port)/\(proto)" }
}
