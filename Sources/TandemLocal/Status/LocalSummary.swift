import Foundation
import TandemDeploy

/// The applications `tandem up --local` runs, as `tandem ls --local` and the dashboard list them.
extension ApplicationSummary {
    /// An application run by `tandem up --local`, from its state folder.
    public static func local(_ state: StateDirectory) -> ApplicationSummary? {
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

    /// The applications run locally, from the folders `up --local` keeps.
    public static func allLocal(namespace: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> [ApplicationSummary] {
        let root = StateDirectory.root(environment)
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return folders.sorted().compactMap { local(StateDirectory(path: "\(root)/\($0)")) }
            .filter { namespace == nil || $0.namespace == namespace }
    }
}
