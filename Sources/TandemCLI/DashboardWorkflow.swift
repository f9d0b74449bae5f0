import TandemDashboard
import TandemDeploy
import TandemWorkflow

/// The page's Resume and Terminate: what `tandem workflow resume` and `terminate` do.
enum DashboardWorkflow {
    static func run(_ action: WorkflowAction, application: String, namespace: String, session: ClusterSession,
                    definitions: DefinitionOptions) async throws -> String {
        do {
            let place = try await WorkflowPlace.find(application, namespace: namespace, client: session.client)
            var status = try await place.status(client: session.client)
            switch action {
            case .resume: try status.resume(step: nil)
            case .terminate: status.terminate()
            }
            try await place.write(status, client: session.client)
            guard action == .resume, case .commandLine(let parent, let record) = place else {
                return "application \(application): workflow \(action == .resume ? "resumed" : "terminated")"
            }
            // As `tandem workflow resume` does for an application deployed with tandem up, the
            // workflow goes on here; the page follows it through the watches.
            let continuation = WorkflowContinuation(session: session, namespace: namespace, timeout: TimeSpan(.seconds(300)),
                                                    definitions: definitions)
            Task {
                do {
                    try await continuation.run(parent: parent, record: record)
                } catch {
                    Output.standardError("tandem: application \(application): the resumed workflow stopped: \(error)\n")
                }
            }
            return "application \(application): workflow resumed; it goes on in the dashboard's process"
        } catch let error as WorkflowError {
            throw CLIFailure("application \(application): \(error)")
        }
    }
}
