import TandemDeploy

/// The words the page colours by: `healthy`, `progressing`, `failed`, `unhealthy` (and
/// `unknown` for a node nothing is known of).
enum HealthWords {
    static func word(_ status: HealthStatus) -> String {
        switch status {
        case .current: return "healthy"
        case .inProgress, .terminating: return "progressing"
        case .failed: return "failed"
        case .notFound: return "unhealthy"
        case .unknown: return "unknown"
        }
    }

    static func word(_ container: ContainerHealth) -> String {
        if container.isFailing { return "failed" }
        if container.ready || container.state == "terminated" { return "healthy" }
        return "progressing"
    }

    /// A list row's word, from what `tandem ls` says of the application (its health, or a
    /// controller-managed application's phase, or a local run's state).
    static func word(_ summary: ApplicationSummary) -> String {
        if summary.healthy { return "healthy" }
        switch summary.health {
        case "failed", "workflowFailed", "workflowTerminated": return "failed"
        case "progressing", "starting", "terminating", "rendering", "runningWorkflow", "workflowSuspending": return "progressing"
        default: return "unhealthy"
        }
    }

    /// Worse is greater, as `HealthStatus` orders them.
    static func rank(_ word: String) -> Int {
        ["healthy": 0, "progressing": 1, "unknown": 2, "unhealthy": 3, "failed": 4][word] ?? 2
    }
}
