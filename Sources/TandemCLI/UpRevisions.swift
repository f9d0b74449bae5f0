import KubeClient
import TandemDeploy
import TandemRendering

/// The revisions of a `tandem up` (and what `diff` renders): each application rendered as the
/// revision it deploys as, and the new ones recorded once applied. A user the cluster does not
/// let read or write revisions still deploys, told that none is kept.
struct UpRevisions {
    private(set) var pending: [PendingRevision] = []

    /// `application` rendered as its revision.
    mutating func prepare(_ application: RenderedApplication, input: InputOptions, session: ClusterSession) async throws
        -> RenderedApplication {
        let namespace = ApplicationTarget.namespace(of: application, flag: input.namespace, connection: session.connection)
        do {
            let revisioned = try await RevisionedRender.prepare(application, namespace: namespace, options: input.renderOptions,
                                                                client: session.client)
            pending.append(revisioned.revision)
            return revisioned.application
        } catch let error as KubeError where error.status?.code == 403 {
            Output.standardError("tandem: note: application \(application.name) keeps no revisions: \(error)\n")
            return application
        }
    }

    /// Records the new revisions, saying each.
    func record(_ display: ProgressDisplay) async {
        for revision in pending where revision.isNew {
            do {
                let kept = try await revision.record()
                display.note("application \(kept.application) is revision \(kept.number)"
                    + (kept.restores.map { " (restores revision \($0))" } ?? ""))
            } catch {
                Output.standardError("tandem: warning: application \(revision.revision.application) is deployed, "
                    + "but its revision \(revision.number) could not be recorded: \(error)\n")
            }
        }
    }
}
