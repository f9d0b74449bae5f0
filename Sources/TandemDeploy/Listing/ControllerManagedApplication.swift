import Foundation
import KubeClient
import KubeModel
import TandemJSON

/// An Application object in the cluster, which the controller reconciles. `tandem up` leaves
/// such an application alone; `tandem status` and the dashboard read its status.
public struct ControllerManagedApplication: Sendable {
    public static let gvk = GroupVersionKind(group: "core.oam.dev", version: "v1beta1", kind: "Application")

    public var object: KubeObject

    public init(object: KubeObject) {
        self.object = object
    }

    /// The Application object, or nil when there is none (or the cluster has no such kind).
    public static func find(_ name: String, namespace: String, client: KubeClient) async throws -> ControllerManagedApplication? {
        do {
            return try await client.get(ObjectReference(gvk: gvk, namespace: namespace, name: name)).map(Self.init)
        } catch KubeError.configuration {
            return nil  // the Application kind is not installed
        }
    }

    public var status: JSONValue { object.json["status"] ?? .object(JSONObject()) }
    public var phase: String { status["status"]?.string ?? "starting" }
    public var isHealthy: Bool { phase == "running" }
}
