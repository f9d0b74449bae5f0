import Foundation
import TandemDeploy
import TandemRendering

/// What `up --local` watches once every pod is ready, before it says so: for at least one
/// probe period (3 seconds when there are no probes), no container of a long-running pod may
/// exit or restart. A sidecar that exits a second after it started would otherwise be called
/// ready, and a crash loop only found by `status` later.
public struct SettleWindow: Sendable {
    public var length: Duration

    public init(_ plan: LocalPlan) {
        let periods = plan.pods.flatMap(\.allContainers).flatMap { [$0.startupProbe, $0.livenessProbe, $0.readinessProbe] }
            .compactMap { $0?.periodSeconds }
        length = .seconds(max(Self.minimumSeconds, periods.max() ?? 0))
    }

    public static let minimumSeconds = 3

    /// The containers that exited or restarted since they were started, in components that run
    /// for good (a Job's containers end as they should).
    public static func unsettled(_ health: ApplicationHealth) -> [ContainerHealth] {
        health.components.filter { $0.workload?.reference.gvk.kind != "Job" }.flatMap(\.containers)
            .filter { $0.restarts > 0 || ($0.state == "terminated" && $0.role != .initContainer) }
    }

    /// `sidecar 'agent' in pod web-0 exited (Error, exit code 3, at …) and was restarted 1 time`.
    public static func describe(_ container: ContainerHealth) -> String {
        let how = container.lastTermination.map { "exited (\($0.summary))" } ?? "exited"
        let role = switch container.role {
        case .sidecar: "sidecar"
        case .nativeSidecar: "native sidecar"
        case .initContainer: "init container"
        default: "container"
        }
        return "\(role) '\(container.name)' in pod \(container.pod) \(how)"
            + (container.restarts > 0 ? " and was restarted \(container.restarts) time\(container.restarts == 1 ? "" : "s")" : "")
    }
}
