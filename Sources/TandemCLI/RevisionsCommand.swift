import ArgumentParser
import Foundation
import KubeClient
import TandemDeploy
import TandemJSON
import TandemRendering

struct RevisionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revisions",
        abstract: "List an application's revisions: what each deployed, when, and which is current.",
        discussion: """
            Every change of an application's spec (or of a custom definition it uses) that tandem up \
            or the tandem controller deployed is a numbered revision, APP-v1, APP-v2, ..., keeping \
            the Application and the definitions it rendered with. The newest 10 are kept. They are \
            ApplicationRevision objects when the cluster has that kind (tandem install adds it), \
            otherwise Secrets of type tandem.oam.dev/revision. tandem rollback deploys one again.

            Example:
              tandem revisions shop
              tandem revisions shop -n prod -o json
            """)

    @Argument(help: ArgumentHelp("The application's name (metadata.name).", valueName: "app"))
    var application: String

    @Option(name: [.short, .long], help: ArgumentHelp("The application's namespace (default: the context's).", valueName: "namespace"))
    var namespace: String?

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var output: RevisionsFormat = .text

    @OptionGroup var cluster: ClusterOptions

    @Flag(name: .customLong("local"), help: "Refused: applications run with tandem up --local keep no revisions.")
    var local = false

    func validate() throws {
        if local {
            throw ValidationError("revisions are kept on a cluster only: tandem up --local keeps none (run the file you want again)")
        }
    }

    func run() async throws {
        let session = try ClusterSession.open(cluster)
        do {
            try await list(session)
            await session.close()
        } catch {
            await session.close()
            throw CLIFailure.from(error)
        }
    }

    private func list(_ session: ClusterSession) async throws {
        let namespace = self.namespace ?? session.connection.namespace ?? "default"
        let store = try await RevisionStore.open(client: session.client, application: application, namespace: namespace)
        let revisions = try await store.list()
        guard !revisions.isEmpty else { throw CLIFailure(RevisionError.noRevisions(application: application, namespace: namespace).description) }
        let entries = revisions.enumerated().map { index, revision in
            (revision, RevisionChanges.summary(of: revision, previous: index > 0 ? revisions[index - 1] : nil),
             index == revisions.count - 1)
        }
        switch output {
        case .json:
            let items: [JSONValue] = entries.map { revision, changes, current in
                var item: JSONObject = ["revision": .int(revision.number), "name": .string(revision.name),
                                        "created": revision.created.map(JSONValue.string) ?? .null,
                                        "digest": .string(revision.content.digest), "current": .bool(current),
                                        "changes": .string(changes)]
                if let restores = revision.restores { item.append("restores", .int(restores)) }
                return .object(item)
            }
            let json: JSONValue = ["application": .string(application), "namespace": .string(namespace),
                                   "storedAs": .string(store.backing.rawValue), "revisions": .array(items)]
            Output.standardOutput(JSONWriter.write(json) + "\n")
        case .text:
            var rows = [["REVISION", "NAME", "CREATED", "DIGEST", "CURRENT", "CHANGES"]]
            for (revision, changes, current) in entries {
                rows.append([String(revision.number), revision.name, revision.created ?? "", revision.content.digest,
                             current ? "yes" : "", changes])
            }
            Output.standardOutput(TextTable(rows).render(width: Terminal.width))
        }
    }
}

enum RevisionsFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
