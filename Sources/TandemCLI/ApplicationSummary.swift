import Foundation
import KubeClient
import KubeModel
import TandemDeploy
import TandemJSON
import TandemLocal
import TandemRendering

/// One line of `tandem ls`: an application, where it runs and how it is.
struct ApplicationSummary {
    /// Who keeps the application: `tandem up` (an ApplySet parent Secret), the tandem controller
    /// (an Application object), or `tandem up --local`.
    enum Source: String {
        case commandLine = "up"
        case controller
        case local
    }

    var name: String
    var namespace: String
    var source: Source
    var components: [String]
    /// `healthy`, `progressing`, `failed`... as `status` words them.
    var health: String
    var healthy: Bool
    /// The workflow's phase (`executing`, `succeeded`, `suspending`...); nil when none is recorded.
    var workflowPhase: String?
    var created: Date?

    /// The application deployed by `tandem up` whose parent Secret is `secret`.
    static func commandLine(_ secret: KubeObject, client: KubeClient) async throws -> ApplicationSummary? {
        guard secret.json["type"]?.string == SecretParent.secretType,
              let name = secret.json[path: ["metadata", "labels", LabelKeys.appName]]?.string else { return nil }
        let namespace = secret.namespace ?? "default"
        let inventory = SecretParent.inventory(of: secret) ?? Inventory(application: name, components: [])
        let set = ApplySet(parent: secret.reference)
        let health = try await HealthWatch(client: client, inventory: inventory, namespace: namespace, applySet: set).snapshot()
        return ApplicationSummary(name: name, namespace: namespace, source: .commandLine, components: inventory.components.map(\.name),
                                  health: health.status.word, healthy: health.isHealthy, workflowPhase: workflowPhase(of: secret),
                                  created: creation(of: secret))
    }

    /// The workflow state `tandem up` records in the parent Secret (`status.workflow` as
    /// KubeVela writes it), when there is one.
    static func workflowPhase(of secret: KubeObject) -> String? {
        guard let encoded = secret.json[path: ["data", SecretParent.workflowKey]]?.string, let bytes = Data(base64Encoded: encoded).map(Array.init),
              let status = try? JSONReader().read(bytes) else { return nil }
        return status["phase"]?.string
    }

    /// An Application object, which the controller reconciles.
    static func controller(_ application: KubeObject) -> ApplicationSummary {
        let managed = ControllerManagedApplication(object: application)
        let components = (application.json[path: ["spec", "components"]]?.array ?? []).compactMap { $0["name"]?.string }
        return ApplicationSummary(name: application.name, namespace: application.namespace ?? "default", source: .controller,
                                  components: components, health: managed.isHealthy ? "healthy" : managed.phase,
                                  healthy: managed.isHealthy,
                                  workflowPhase: application.json[path: ["status", "workflow", "phase"]]?.string,
                                  created: creation(of: application))
    }

    /// An application run by `tandem up --local`, from its state folder.
    static func local(_ state: StateDirectory) -> ApplicationSummary? {
        guard let plan = try? state.readPlan() else { return nil }
        var components: [String] = []
        for workload in plan.workloads where !components.contains(workload.component) { components.append(workload.component) }
        let status = LocalStatus.read(state)
        let running = state.runningSupervisor() != nil
        let health = status.map { running ? $0.health.status.word : "stopped" } ?? (running ? "starting" : "stopped")
        return ApplicationSummary(name: plan.application, namespace: plan.namespace, source: .local, components: components,
                                  health: health, healthy: running && status?.health.isHealthy == true, workflowPhase: nil,
                                  created: state.planDate)
    }

    static func creation(of object: KubeObject) -> Date? {
        object.json[path: ["metadata", "creationTimestamp"]]?.string.flatMap(Timestamps.parse)
    }

    /// The applications run locally, from the folders `up --local` keeps.
    static func allLocal(namespace: String?) -> [ApplicationSummary] {
        let root = StateDirectory.root(ProcessInfo.processInfo.environment)
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return folders.sorted().compactMap { local(StateDirectory(path: "\(root)/\($0)")) }
            .filter { namespace == nil || $0.namespace == namespace }
    }

    // MARK: - Output

    static func table(_ applications: [ApplicationSummary], allNamespaces: Bool, now: Date, width: Int?) -> String {
        var header = ["APP", "COMPONENTS", "HEALTH", "WORKFLOW", "MANAGED BY", "AGE"]
        if allNamespaces { header.insert("NAMESPACE", at: 0) }
        var rows = [header]
        for application in applications {
            var row = [application.name, application.components.joined(separator: ","), application.health,
                       application.workflowPhase ?? "-", application.source.rawValue,
                       application.created.map { age(now.timeIntervalSince($0)) } ?? "-"]
            if allNamespaces { row.insert(application.namespace, at: 0) }
            rows.append(row)
        }
        return TextTable(rows).render(width: width)
    }

    /// `45s`, `12m`, `3h`, `5d`, as kubectl prints ages.
    static func age(_ seconds: TimeInterval) -> String {
        let seconds = max(0, Int(seconds))
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 2 * 3600 { return "\(seconds / 60)m" }
        if seconds < 2 * 86400 { return "\(seconds / 3600)h" }
        return "\(seconds / 86400)d"
    }

    var json: JSONValue {
        .object([
            "name": .string(name), "namespace": .string(namespace), "managedBy": .string(source.rawValue),
            "components": .array(components.map(JSONValue.string)), "health": .string(health), "healthy": .bool(healthy),
            "workflowPhase": workflowPhase.map(JSONValue.string) ?? .null,
            "created": created.map { .string(Timestamps.format($0)) } ?? .null,
        ])
    }
}
