import Foundation
import KubeClient
import KubeModel
import TandemJSON

/// One application as `tandem ls` and the dashboard list it: where it runs and how it is.
public struct ApplicationSummary: Sendable, Hashable {
    /// Who keeps the application: `tandem up` (an ApplySet parent Secret), the tandem controller
    /// (an Application object), or `tandem up --local`.
    public enum Source: String, Sendable {
        case commandLine = "up"
        case controller
        case local
    }

    public var name: String
    public var namespace: String
    public var source: Source
    public var components: [String]
    /// `healthy`, `progressing`, `failed`... as `status` words them.
    public var health: String
    public var healthy: Bool
    /// The workflow's phase (`executing`, `succeeded`, `suspending`...); nil when none is recorded.
    public var workflowPhase: String?
    public var created: Date?

    public init(name: String, namespace: String, source: Source, components: [String], health: String, healthy: Bool,
                workflowPhase: String?, created: Date?) {
        self.name = name
        self.namespace = namespace
        self.source = source
        self.components = components
        self.health = health
        self.healthy = healthy
        self.workflowPhase = workflowPhase
        self.created = created
    }

    /// The application deployed by `tandem up` whose parent Secret is `secret`, its health read now.
    public static func commandLine(_ secret: KubeObject, client: KubeClient) async throws -> ApplicationSummary? {
        guard let deployed = DeployedSet(secret: secret) else { return nil }
        let health = try await HealthWatch(client: client, inventory: deployed.inventory, namespace: deployed.namespace,
                                           applySet: deployed.set).snapshot()
        return commandLine(deployed, secret: secret, health: health)
    }

    /// The application deployed by `tandem up`, with its health as assessed by the caller.
    public static func commandLine(_ deployed: DeployedSet, secret: KubeObject, health: ApplicationHealth) -> ApplicationSummary {
        ApplicationSummary(name: deployed.name, namespace: deployed.namespace, source: .commandLine,
                           components: deployed.inventory.components.map(\.name), health: health.status.word, healthy: health.isHealthy,
                           workflowPhase: workflowPhase(of: secret), created: creation(of: secret))
    }

    /// The workflow state `tandem up` records in the parent Secret (`status.workflow` as
    /// KubeVela writes it), when there is one.
    public static func workflowPhase(of secret: KubeObject) -> String? {
        guard let encoded = secret.json[path: ["data", SecretParent.workflowKey]]?.string, let bytes = Data(base64Encoded: encoded).map(Array.init),
              let status = try? JSONReader().read(bytes) else { return nil }
        return phase(ofWorkflow: status)
    }

    /// KubeVela writes the workflow's phase as `status` (`phase` is read too, as older records hold it).
    static func phase(ofWorkflow status: JSONValue) -> String? {
        status["status"]?.string ?? status["phase"]?.string
    }

    /// An Application object, which the controller reconciles.
    public static func controller(_ application: KubeObject) -> ApplicationSummary {
        let managed = ControllerManagedApplication(object: application)
        let components = (application.json[path: ["spec", "components"]]?.array ?? []).compactMap { $0["name"]?.string }
        return ApplicationSummary(name: application.name, namespace: application.namespace ?? "default", source: .controller,
                                  components: components, health: managed.isHealthy ? "healthy" : managed.phase,
                                  healthy: managed.isHealthy,
                                  workflowPhase: application.json[path: ["status", "workflow"]].flatMap(phase(ofWorkflow:)),
                                  created: creation(of: application))
    }

    public static func creation(of object: KubeObject) -> Date? {
        object.json[path: ["metadata", "creationTimestamp"]]?.string.flatMap(Timestamps.parse)
    }

    public var json: JSONValue {
        .object([
            "name": .string(name), "namespace": .string(namespace), "managedBy": .string(source.rawValue),
            "components": .array(components.map(JSONValue.string)), "health": .string(health), "healthy": .bool(healthy),
            "workflowPhase": workflowPhase.map(JSONValue.string) ?? .null,
            "created": created.map { .string(Timestamps.format($0)) } ?? .null,
        ])
    }
}
