import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import TandemDeploy
import TandemJSON

struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Deploy an earlier revision of an application again (default: the one before the current).",
        discussion: """
            The rollback is itself a new revision, which says which one it restores (as Helm's \
            rollback does); tandem revisions lists them.

            An application deployed with tandem up: the revision's Application is rendered with the \
            definitions it kept and deployed exactly as tandem up deploys (apply, prune, wait until \
            healthy). An Application the tandem controller manages: the revision's spec is written \
            back to the Application object, and the controller delivers it, rendering with the \
            cluster's definitions as they are now.

            Exit codes: 0 done (healthy, for tandem up's applications); 2 the cluster refused it, \
            it was not healthy within --timeout, or the revision is not kept.

            Example:
              tandem rollback shop
              tandem rollback shop --revision 3 -n prod
            """)

    @Argument(help: ArgumentHelp("The application's name (metadata.name).", valueName: "app"))
    var application: String

    @Option(help: ArgumentHelp("The revision to deploy again (default: the one before the current).", valueName: "n"))
    var revision: Int?

    @Option(name: [.short, .long], help: ArgumentHelp("The application's namespace (default: the context's).", valueName: "namespace"))
    var namespace: String?

    @Option(help: ArgumentHelp("How long to wait for health, like 90s, 5m or 1h.", valueName: "duration"))
    var timeout: TimeSpan = TimeSpan(.seconds(300))

    @Flag(name: .customLong("no-wait"), help: "Apply and prune, then exit without waiting for health.")
    var noWait = false

    @OptionGroup var cluster: ClusterOptions

    @Flag(name: .customLong("local"), help: "Refused: applications run with tandem up --local keep no revisions.")
    var local = false

    func validate() throws {
        if local {
            throw ValidationError("revisions are kept on a cluster only: tandem up --local keeps none (run the file you want again)")
        }
        if let revision, revision < 1 { throw ValidationError("--revision must be 1 or more") }
    }

    func run() async throws {
        let session = try ClusterSession.open(cluster)
        let namespace = self.namespace ?? session.connection.namespace ?? "default"
        let target: ApplicationRevision
        let managed: ControllerManagedApplication?
        do {
            managed = try await ControllerManagedApplication.find(application, namespace: namespace, client: session.client)
            let store = try await RevisionStore.open(client: session.client, application: application, namespace: namespace)
            target = try await chosen(from: store.list(), namespace: namespace)
            if let managed { try await writeBack(target, to: managed, session: session) }
        } catch {
            await session.close()
            if let error = error as? RevisionError { throw CLIFailure(error.description) }
            throw CLIFailure.from(error)
        }
        await session.close()
        if managed != nil {
            Output.standardOutput("application \(application): the spec of \(target.name) is written back to the Application; "
                + "the tandem controller delivers it as a new revision (tandem status \(application) follows it)\n")
            return
        }
        try await redeploy(target, namespace: namespace)
    }

    /// The revision asked for, or the one before the current.
    private func chosen(from revisions: [ApplicationRevision], namespace: String) throws -> ApplicationRevision {
        guard let current = revisions.last else { throw RevisionError.noRevisions(application: application, namespace: namespace) }
        guard let number = revision else {
            guard revisions.count > 1 else { throw RevisionError.noPrevious(application: application) }
            return revisions[revisions.count - 2]
        }
        guard let found = revisions.first(where: { $0.number == number }) else {
            throw RevisionError.notFound(application: application, number: number, kept: revisions.map(\.number))
        }
        if found.number == current.number { throw CLIFailure("\(found.name) is the current revision: there is nothing to roll back") }
        return found
    }

    /// Replaces the Application's spec with the revision's; the controller takes it from there.
    private func writeBack(_ revision: ApplicationRevision, to managed: ControllerManagedApplication, session: ClusterSession) async throws {
        var object = managed.object
        object.json["spec"] = revision.content.application["spec"]
        object.json["status"] = nil
        let resource = try await session.client.resource(for: ControllerManagedApplication.gvk)
        let request = KubeRequest(.put, resource.path(namespace: object.namespace, name: object.name),
                                  headers: [.init("Content-Type", "application/json")], body: JSONWriter.compactBytes(object.json))
        do {
            _ = try await session.client.send(request)
        } catch let error as KubeError where error.status?.code == 409 {
            throw CLIFailure("the Application \(application) changed while it was rolled back; run tandem rollback again")
        }
    }

    /// Deploys the revision's Application with its definitions as `tandem up` does.
    private func redeploy(_ revision: ApplicationRevision, namespace: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-rollback-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let definitions = directory.appendingPathComponent("definitions")
        try FileManager.default.createDirectory(at: definitions, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("\(revision.name).yaml")
        try JSONWriter.write(revision.content.application).write(to: file, atomically: true, encoding: .utf8)
        for (index, definition) in revision.content.definitions.enumerated() {
            try JSONWriter.write(definition).write(to: definitions.appendingPathComponent("\(index).json"), atomically: true, encoding: .utf8)
        }
        var up = try UpCommand.parse([file.path, "-n", namespace]
            + (revision.content.definitions.isEmpty ? [] : ["--definitions", definitions.path]))
        up.cluster = cluster
        up.timeout = timeout
        up.noWait = noWait
        Output.standardOutput("application \(application): deploying \(revision.name) again\n")
        try await up.run()
    }
}
