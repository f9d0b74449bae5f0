import KubeClient
import TandemJSON
import TandemRendering

/// An application read from a file, made the revision it deploys as: `context.appRevision`
/// names that revision, so an application that is a new revision (or the latest one again,
/// other than the first) is rendered again with its number.
public struct RevisionedRender: Sendable {
    public var application: RenderedApplication
    public var revision: PendingRevision

    /// `rendered` (rendered with `options`) as a revision of the store of `namespace`.
    public static func prepare(_ rendered: RenderedApplication, namespace: String, options: RenderOptions,
                               client: KubeClient) async throws -> RevisionedRender {
        let document = rendered.application.source?.root ?? .null
        let content = RevisionContent(application: document, namespace: namespace, registry: rendered.registry)
        let store = try await RevisionStore.open(client: client, application: rendered.name, namespace: namespace)
        let revision = try await store.next(for: content)
        guard revision.number != options.appRevisionNumber, document != .null else {
            return RevisionedRender(application: rendered, revision: revision)
        }
        var options = options
        options.appRevisionNumber = revision.number
        let (again, diagnostics) = RenderPipeline(registry: rendered.registry, options: options)
            .render(json: document, source: rendered.application.source)
        guard let again else {
            throw RevisionError.renderFailed(revision: revision.revision.name,
                                             problems: diagnostics.filter(\.isError).map(\.description))
        }
        return RevisionedRender(application: again, revision: revision)
    }
}

/// What goes wrong with revisions, said for the user.
public enum RevisionError: Error, CustomStringConvertible, Sendable {
    case renderFailed(revision: String, problems: [String])
    case notFound(application: String, number: Int, kept: [Int])
    case noPrevious(application: String)
    case noRevisions(application: String, namespace: String)

    public var description: String {
        switch self {
        case .renderFailed(let revision, let problems):
            "\(revision) does not render: " + problems.joined(separator: "\n  ")
        case .notFound(let application, let number, let kept):
            "application \(application) has no revision \(number); kept: " + kept.map { "\($0)" }.joined(separator: ", ")
        case .noPrevious(let application):
            "application \(application) has only one revision: there is none before it to roll back to"
        case .noRevisions(let application, let namespace):
            "application \(application) has no revisions in namespace \(namespace)"
        }
    }
}
