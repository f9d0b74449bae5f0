import ArgumentParser
import Foundation
import KubeClient
import TandemDashboard
import TandemDeploy
import TandemJSON
import TandemModel
import TandemRendering
import TandemWorkflow

/// `tandem dashboard`: the web UI. The dashboard shows what `ls` and `status` show, checks text
/// as `validate` does and acts as `workflow resume/terminate` do: this command hands it those.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve a web dashboard: the applications, their topology and workflow, live; and an editor that validates as you type.",
        discussion: """
            Listens on 127.0.0.1 (loopback) and is read-only unless started with --allow-actions, \
            which prints a one-time token the page asks for before it resumes or terminates a \
            workflow. Runs until Ctrl-C. Every open page shares one watch per kind.

            Example:
              tandem dashboard
              tandem dashboard -A --port 9000
              tandem dashboard --local
              tandem dashboard --allow-actions
            """)

    @Option(name: [.short, .long], help: ArgumentHelp("The namespace to show (default: the context's).", valueName: "namespace"))
    var namespace: String?

    @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Show the applications of every namespace.")
    var allNamespaces = false

    @Flag(name: .customLong("local"), help: "Show the applications running on this machine (tandem up --local).")
    var local = false

    @Option(help: ArgumentHelp("The address to listen on; anything but loopback lets other machines read the dashboard.", valueName: "address"))
    var address = "127.0.0.1"

    @Option(help: ArgumentHelp("The port to listen on; 0 picks a free one.", valueName: "port"))
    var port = 8080

    @Flag(name: .customLong("allow-actions"), help: "Allow the page to resume and terminate workflows, with the token printed at start.")
    var allowActions = false

    @Option(name: .customLong("max-input-bytes"), help: ArgumentHelp("Refuse editor inputs larger than this many bytes.", valueName: "bytes"))
    var maxInputBytes: Int = InputLimits.default.maxBytes

    @OptionGroup var definitions: DefinitionOptions

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if allNamespaces, namespace != nil { throw ValidationError("-A shows every namespace: leave out -n") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if maxInputBytes <= 0 { throw ValidationError("--max-input-bytes must be positive") }
    }

    func run() async throws {
        let token = allowActions ? ActionGate.newToken() : nil
        let settings = DashboardSettings(address: address, port: port, actionsToken: token)
        if local {
            let server = DashboardServer(settings: settings, data: LocalData(namespace: allNamespaces ? nil : namespace),
                                         hooks: hooks(session: nil), place: "local")
            try await serve(server, token: token)
            return
        }
        let session = try ClusterSession.open(cluster)
        do {
            // An unreachable cluster is said now, not left to a page that never loads.
            _ = try await session.kubeVersion()
            let namespace = allNamespaces ? nil : (self.namespace ?? session.connection.namespace ?? "default")
            // A controller-managed application's workloads, as `status --tree` finds them.
            let data = ClusterData(client: session.client, namespace: namespace) { application in
                try await ManagedApplicationInventory.deployed(ControllerManagedApplication(object: application), session: session).inventory
            }
            let place = (session.connection.contextName ?? session.client.server) + (namespace.map { " · namespace \($0)" } ?? " · all namespaces")
            try await serve(DashboardServer(settings: settings, data: data, hooks: hooks(session: session), place: place), token: token)
            await session.close()
        } catch {
            await session.close()
            throw CLIFailure.from(error)
        }
    }

    private func serve(_ server: DashboardServer, token: String?) async throws {
        let address = address.contains(":") ? "[\(address)]" : address
        do {
            try await server.run { port in
                Output.standardOutput("Dashboard at http://\(address):\(port)/\n")
                if let token { Output.standardOutput("Actions token: \(token)\n") }
            }
        } catch let error as CLIFailure {
            throw error
        } catch {
            throw CLIFailure("the dashboard cannot listen on \(address):\(port): \(error)")
        }
    }

    /// What the dashboard borrows from the other commands.
    private func hooks(session: ClusterSession?) -> DashboardHooks {
        let (registry, problems) = definitions.load()
        var limits = InputLimits.default
        limits.maxBytes = maxInputBytes
        let pipeline = RenderPipeline(registry: registry, options: RenderOptions(limits: limits, jobs: 1))
        return DashboardHooks(check: { text in
            EditorCheck.check(text, pipeline: pipeline, definitionProblems: problems)
        }, maxInputBytes: maxInputBytes, workflow: { action, namespace, name in
            guard let session else { throw CLIFailure("applications run locally have no workflow to \(action.rawValue)") }
            return try await DashboardWorkflow.run(action, application: name, namespace: namespace, session: session,
                                                   definitions: definitions)
        }, objects: { namespace, name in
            guard let session else { throw CLIFailure("applications run locally: tandem render FILE shows their objects") }
            return try await DashboardObjects.objects(application: name, namespace: namespace, session: session)
        })
    }
}
