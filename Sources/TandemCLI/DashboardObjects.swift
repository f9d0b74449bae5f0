import Foundation
import KubeClient
import KubeModel
import TandemDeploy
import TandemJSON
import TandemDefinitions
import TandemKubeVela
import TandemRendering

/// An application's page asks for its objects: the current revision rendered again (with the
/// definitions it was deployed with) and, as `tandem diff` shows them, the differences between
/// those objects and the live ones, from a server-side dry run. Nothing is changed.
enum DashboardObjects {
    static func objects(application: String, namespace: String, session: ClusterSession) async throws -> JSONValue {
        let client = session.client
        if try await ControllerManagedApplication.find(application, namespace: namespace, client: client) != nil {
            throw CLIFailure("application \(application) is managed by the tandem controller: kubectl get application \(application) "
                + "-n \(namespace) -o yaml shows what it delivers")
        }
        let store = try await RevisionStore.open(client: client, application: application, namespace: namespace)
        guard let revision = try await store.list().last else { throw RevisionError.noRevisions(application: application, namespace: namespace) }
        // The definitions the revision was deployed with, as `tandem rollback` uses them.
        var sources: [CUEDefinitionSource] = []
        for (index, definition) in revision.content.definitions.enumerated() {
            sources += DefinitionLoader().load(bytes: JSONWriter.compactBytes(definition), file: "\(revision.name)-definition-\(index).json").definitions
        }
        let registry = CustomDefinitions.registry(adding: sources).registry
        let (version, _) = try await session.kubeVersion()
        var options = RenderOptions(kubeVersion: KubeVersion.target(for: version)?.version ?? .newest, jobs: 1)
        options.appRevisionNumber = revision.number
        var document = revision.content.application
        let first = try await render(document, registry: registry, options: options, revision: revision.name)
        // A revision names its namespace always; the file it came from may have named none (and
        // then its objects lack app.oam.dev/namespace): the live objects tell which.
        if let sample = first.objects.first?.object, let live = try await client.get(sample.reference),
           live.json[path: ["metadata", "labels", LabelKeys.namespace]] == nil {
            document[path: ["metadata", "namespace"]] = nil
        }
        let rendered = try await render(document, registry: registry, options: options, revision: revision.name)
        let target = try await ApplicationTarget.prepare(rendered, session: session, namespaceFlag: namespace, createNamespace: true, dryRun: true)
        let differ = ObjectDiffer(client: client)
        var note: String?
        let changes: [ObjectDiffer.Change]
        do {
            changes = try await differ.changes(target.plan, parent: target.parent, forceConflicts: false)
        } catch {
            // Fields another manager owns differ: shown as tandem diff --force-conflicts shows them.
            note = "\(error)\ntandem up would refuse this without --force-conflicts; the differences as it would apply them:"
            changes = try await differ.changes(target.plan, parent: target.parent, forceConflicts: true)
        }
        return .object([
            "revision": .string(revision.name),
            "rendered": .string(YAMLWriter.documents(rendered.objects.map(\.object.json))),
            "diff": .string(changes.map(\.diff).joined()),
            "note": note.map(JSONValue.string) ?? .null,
        ])
    }

    private static func render(_ document: JSONValue, registry: DefinitionRegistry, options: RenderOptions, revision: String) async throws
        -> RenderedApplication {
        let (rendered, diagnostics) = RenderPipeline(registry: registry, options: options).render(json: document)
        guard let rendered else {
            throw RevisionError.renderFailed(revision: revision, problems: diagnostics.filter(\.isError).map(\.description))
        }
        return rendered
    }
}
