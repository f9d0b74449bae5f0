import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import TandemDeploy
import TandemJSON
import TandemLocal
import TandemRendering

/// `tandem ls`: the applications of a namespace (or of all), on a cluster or on this machine.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List applications: those deployed with tandem up, those the tandem controller manages, or those running locally.",
        discussion: """
            One line per application: its components, its health, its workflow's phase ("-" when \
            it has no recorded workflow), who manages it (up, controller or local) and its age.

            Example:
              tandem ls
              tandem ls -A -o json
              tandem ls --local
            """)

    @Option(name: [.short, .long], help: ArgumentHelp("The namespace to list (default: the context's).", valueName: "namespace"))
    var namespace: String?

    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "List the applications of every namespace.")
    var allNamespaces = false

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var output: ListFormat = .text

    @Flag(name: .customLong("local"), help: "List the applications running on this machine (tandem up --local).")
    var local = false

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if allNamespaces, namespace != nil { throw ValidationError("-A lists every namespace: leave out -n") }
    }

    func run() async throws {
        let applications: [ApplicationSummary]
        let namespace: String?
        if local {
            namespace = allNamespaces ? nil : (self.namespace ?? "default")
            applications = ApplicationSummary.allLocal(namespace: namespace)
        } else {
            let session = try ClusterSession.open(cluster)
            do {
                namespace = allNamespaces ? nil : (self.namespace ?? session.connection.namespace ?? "default")
                applications = try await Self.cluster(session.client, namespace: namespace)
                await session.close()
            } catch {
                await session.close()
                throw CLIFailure.from(error)
            }
        }
        switch output {
        case .json:
            Output.standardOutput(JSONWriter.write(.array(applications.map(\.json)), indentWidth: 2) + "\n")
        case .text:
            guard !applications.isEmpty else {
                let place = namespace.map { "in namespace \($0)" } ?? "in any namespace"
                Output.standardError("no applications \(local ? "running locally " : "")\(place)\n")
                return
            }
            Output.standardOutput(ApplicationSummary.table(applications, allNamespaces: allNamespaces, now: Date(), width: Terminal.width))
        }
    }

    /// The sets `tandem up` made (their parent Secrets) and the Application objects, by namespace and name.
    static func cluster(_ client: KubeClient, namespace: String?) async throws -> [ApplicationSummary] {
        let secrets = try await client.list(.secret, namespace: namespace, labelSelector: ApplySet.idLabel).items
        var applications: [ApplicationSummary] = []
        for secret in secrets {
            if let summary = try await ApplicationSummary.commandLine(secret, client: client) { applications.append(summary) }
        }
        do {
            let objects = try await client.list(ControllerManagedApplication.gvk, namespace: namespace).items
            applications += objects.map(ApplicationSummary.controller)
        } catch KubeError.configuration {
            // The Application kind is not installed: no controller-managed applications.
        }
        return applications.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }
}

enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
