import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import TandemLocal

/// `tandem port-forward APP [LOCAL:]REMOTE...`: ports of a pod of the application on this machine.
struct PortForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "port-forward",
        abstract: "Reach ports of an application's pod from this machine (127.0.0.1).",
        discussion: """
            Each [LOCAL:]REMOTE listens on 127.0.0.1:LOCAL (the same number when left out; 0 for \
            a free port) and forwards every connection to port REMOTE of a running pod of the \
            component (without --component: the first component the application lists), \
            until Ctrl-C. With --local, to the pod of an application running locally, at its \
            address on the application's podman network.

            Example:
              tandem port-forward shop 8080
              tandem port-forward shop --component api 9000:8080 0:9090
              tandem port-forward --local shop --component api 9000:8080
            """)

    @Argument(help: ArgumentHelp("The application's name (metadata.name).", valueName: "app"))
    var application: String

    @Argument(help: ArgumentHelp("Ports: REMOTE, or LOCAL:REMOTE.", valueName: "ports"))
    var ports: [PortPair]

    @Option(name: [.short, .long], help: ArgumentHelp("The application's namespace (default: the context's).", valueName: "namespace"))
    var namespace: String?

    @Option(name: .customLong("component"), help: ArgumentHelp("A pod of this component.", valueName: "name"))
    var component: String?

    @Flag(name: .customLong("local"), help: "The application runs locally (tandem up --local): to its pod on the application's podman network.")
    var local = false

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if ports.isEmpty { throw ValidationError("name at least one port: tandem port-forward \(application) 8080") }
        if local { try LocalApplication.validate(application, namespace: namespace) }
    }

    func run() async throws {
        if local { return try await runLocally() }
        let session = try ClusterSession.open(cluster)
        let namespace = self.namespace ?? session.connection.namespace ?? "default"
        let pod: String
        do {
            pod = try await RunningPod.find(application, component: component, namespace: namespace, client: session.client).name
            await session.close()
        } catch {
            await session.close()
            throw CLIFailure.from(error)
        }
        let forward = ClusterPortForward(connection: session.connection, namespace: namespace, pod: pod)
        let listeners = try listen(to: pod)
        await withTaskGroup(of: Void.self) { group in
            for listener in listeners { group.addTask { await forward.serve(listener.socket, remote: listener.remote) } }
        }
    }
}

extension PortForwardCommand {
    /// Listens on each requested local port and says where it forwards to.
    private func listen(to pod: String) throws -> [(socket: Int32, remote: Int)] {
        try ports.map { pair in
            let (socket, port) = try ClusterPortForward.listen(pair.local)
            Output.standardOutput("Forwarding from 127.0.0.1:\(port) -> \(pair.remote) (pod \(pod))\n")
            return (socket, pair.remote)
        }
    }

    /// To a pod of the application running locally, from inside its network.
    private func runLocally() async throws {
        let state = LocalApplication.state(application, namespace: namespace)
        guard state.exists else { throw LocalApplication.notRunning(application, namespace: namespace) }
        let podman = try LocalUp.podman()
        let rootless = (try? await podman.run(["info", "--format", "{{.Host.Security.Rootless}}"]))?.output.hasPrefix("true") ?? false
        let forward = LocalPortForward(state: state, podman: podman, runner: ProbeRunner(podman: podman, executable: LocalUp.executable,
                                                                                         rootless: rootless), component: component)
        let pod: String
        do {
            pod = try forward.target().pod
        } catch {
            throw CLIFailure("\(error)")
        }
        let listeners = try listen(to: pod)
        await withTaskGroup(of: Void.self) { group in
            for listener in listeners {
                group.addTask {
                    // Accepting blocks: on a thread of its own, for as long as tandem runs.
                    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                        Thread.detachNewThread {
                            forward.serve(listener.socket, remote: listener.remote) { Output.standardError("tandem: port \(listener.remote): \($0)\n") }
                            done.resume()
                        }
                    }
                }
            }
        }
    }
}

/// `8080` or `9000:8080`.
struct PortPair: ExpressibleByArgument {
    var local: Int
    var remote: Int

    init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        switch parts.count {
        case 1:
            guard let remote = parts[0], (1...65535).contains(remote) else { return nil }
            local = remote
            self.remote = remote
        case 2:
            guard let local = parts[0], let remote = parts[1], (0...65535).contains(local), (1...65535).contains(remote) else { return nil }
            self.local = local
            self.remote = remote
        default:
            return nil
        }
    }
}
