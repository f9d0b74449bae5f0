import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import TandemDeploy

struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what up would change, as a unified diff against the live objects.",
        discussion: """
            Each object is compared with the result of a server-side dry-run apply, without the \
            fields the server manages (managedFields, resourceVersion, generation, uid, \
            creationTimestamp, status). Objects up would create or prune are shown whole. \
            Nothing is changed.

            Example:
              tandem diff app.yaml
              tandem diff app.yaml --exit-code   # exit 3 when up would change something
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var cluster: ClusterOptions

    @Flag(name: .customLong("exit-code"), help: "Exit with 3 when there are differences (like git diff --exit-code).")
    var exitCode = false

    @Flag(name: .customLong("force-conflicts"), help: "Show the result of taking fields another manager owns.")
    var forceConflicts = false

    func run() async throws {
        let session = try ClusterSession.open(cluster)
        let changed: Bool
        do {
            changed = try await diff(session)
            await session.close()
        } catch {
            await session.close()
            throw CLIFailure.from(error)
        }
        if changed && exitCode { throw ExitCode(3) }
    }

    private func diff(_ session: ClusterSession) async throws -> Bool {
        let (version, _) = try await session.kubeVersion()
        var input = self.input
        input.kubeVersion = version
        let fallback = input.namespace ?? session.connection.namespace ?? "default"
        let ahead = input.applicationsAhead(fallback: fallback)
        let clusterDefinitions = try await ClusterDefinitions.load(session.client, applicationNamespaces: ahead.namespaces,
                                                                   usedTypes: ahead.types)
        let result = input.run(clusterDefinitions: clusterDefinitions) { $0 }
        guard !result.hasErrors else {
            if input.diagnosticsFormat == .text { Output.standardError("tandem: \(Output.count(result.errorCount, result.warningCount))\n") }
            throw ExitCode(1)
        }
        var changed = false
        for application in result.outputs {
            // Rendered as the revision up would make it (context.appRevision), which diff never records.
            var revisions = UpRevisions()
            let application = try await revisions.prepare(application, input: input, session: session)
            let target = try await ApplicationTarget.prepare(application, session: session, namespaceFlag: input.namespace,
                                                             createNamespace: true, dryRun: true)
            let changes = try await ObjectDiffer(client: session.client).changes(target.plan, parent: target.parent,
                                                                                  forceConflicts: forceConflicts)
            for change in changes where !change.diff.isEmpty {
                changed = true
                Output.standardOutput(change.diff)
            }
        }
        return changed
    }
}
