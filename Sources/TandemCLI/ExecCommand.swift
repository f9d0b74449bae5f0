import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import TandemLocal

/// `tandem exec APP -- CMD...`: runs a command in a container of the application, without
/// looking up the names of its pods and containers.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a command in a container of an application.",
        discussion: """
            In a running pod of the component (without --component: of the first component the \
            application lists), in \
            its first container unless -c names another (a sidecar, say). The command's exit \
            code is tandem's. With -it, a terminal: standard input and a TTY, as ssh gives.

            Example:
              tandem exec shop -- ls /srv
              tandem exec shop --component web -c proxy -it -- sh
              tandem exec --local shop -- ls /srv
              tandem exec --local shop --component web -c proxy -it -- sh
            """)

    @Argument(help: ArgumentHelp("The application's name (metadata.name).", valueName: "app"))
    var application: String

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command and its arguments, after --.", valueName: "command"))
    var command: [String] = []

    @Flag(name: .customLong("local"), help: "The application runs locally (tandem up --local).")
    var local = false

    @Option(name: [.short, .long], help: ArgumentHelp("The application's namespace (default: the context's; locally: default).",
                                                      valueName: "namespace"))
    var namespace: String?

    @Option(name: .customLong("component"), help: ArgumentHelp("A pod of this component.", valueName: "name"))
    var component: String?

    @Option(name: [.short, .customLong("container")], help: ArgumentHelp("This container of the pod.", valueName: "container"))
    var container: String?

    @Flag(name: [.customShort("i"), .customLong("stdin")], help: "Pass standard input to the command.")
    var stdin = false

    @Flag(name: [.short, .customLong("tty")], help: "Give the command a terminal (with -i: an interactive shell).")
    var tty = false

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        guard !command.isEmpty else { throw ValidationError("name the command after --: tandem exec \(application) -- sh") }
        if local { try LocalApplication.validate(application, namespace: namespace) }
    }

    func run() async throws {
        guard local else { return try await onCluster() }
        let state = LocalApplication.state(application, namespace: namespace)
        guard let plan = try? state.readPlan() else { throw LocalApplication.notRunning(application, namespace: namespace) }
        let target = try Self.target(plan, status: LocalStatus.read(state), component: component, container: container, application: application)
        let podman = try LocalUp.podman()
        var arguments = [podman.executable, "exec"]
        if stdin { arguments.append("-i") }
        if tty { arguments.append("-t") }
        arguments += [target.podmanName] + command
        // podman takes this process's place: the terminal, signals and the exit code are the command's.
        let argv = arguments.map { strdup($0) } + [nil]
        execv(podman.executable, argv)
        throw CLIFailure("cannot run \(podman.executable): \(String(cString: strerror(errno)))")
    }

    /// The container to run in: of the component's first ready pod (else its first pod), the
    /// named container or the pod's first.
    static func target(_ plan: LocalPlan, status: LocalStatus?, component: String?, container: String?,
                       application: String) throws -> ContainerPlan {
        let components = plan.pods.reduce(into: [String]()) { if !$0.contains($1.component) { $0.append($1.component) } }
        let chosen = component ?? components.first ?? ""
        let pods = plan.pods.filter { $0.component == chosen }
        guard !pods.isEmpty else {
            throw CLIFailure("application \(application) has no component \(chosen); its components: \(components.joined(separator: ", "))")
        }
        let ready = Set((status?.health.components.flatMap(\.containers) ?? []).filter(\.ready).map(\.pod))
        let pod = pods.first { ready.contains($0.name) } ?? pods[0]
        guard let container else {
            guard let first = pod.containers.first else { throw CLIFailure("pod \(pod.name) has no containers") }
            return first
        }
        guard let found = pod.allContainers.first(where: { $0.name == container }) else {
            throw CLIFailure("pod \(pod.name) of component \(chosen) has no container \(container); its containers: "
                + pod.allContainers.map(\.name).joined(separator: ", "))
        }
        return found
    }

    /// On a cluster: through the exec API, in the component's first running pod.
    private func onCluster() async throws {
        let session = try ClusterSession.open(cluster)
        let namespace = self.namespace ?? session.connection.namespace ?? "default"
        let pod: KubeObject
        do {
            pod = try await RunningPod.find(application, component: component, namespace: namespace, client: session.client)
            await session.close()
        } catch {
            await session.close()
            throw CLIFailure.from(error)
        }
        let names = (pod.json[path: ["spec", "containers"]]?.array ?? []).compactMap { $0["name"]?.string }
        let all = names + (pod.json[path: ["spec", "initContainers"]]?.array ?? []).compactMap { $0["name"]?.string }
        let target: String
        if let container {
            guard all.contains(container) else {
                throw CLIFailure("pod \(pod.name) has no container \(container); its containers: \(all.joined(separator: ", "))")
            }
            target = container
        } else {
            guard let first = names.first else { throw CLIFailure("pod \(pod.name) has no containers") }
            target = first
        }
        let exec = ClusterExec(connection: session.connection, namespace: namespace, pod: pod.name, container: target, command: command,
                               stdin: stdin, tty: tty)
        let code: Int32
        do {
            code = try await exec.run()
        } catch {
            throw CLIFailure.from(error)
        }
        if code != 0 { throw ExitCode(code) }
    }
}
