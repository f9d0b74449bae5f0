import ArgumentParser
import Foundation
import KubeClient
import TandemDeploy
import TandemJSON
import TandemLocal
import TandemModel
import TandemRendering

/// `tandem logs APP`: the logs of an application's containers, on a cluster or running locally.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print the logs of an application's containers, on a cluster or running locally (tandem up --local).",
        discussion: """
            Every container of every pod of the application (or of one component), each line \
            prefixed POD/CONTAINER on a cluster and COMPONENT/CONTAINER locally, in time order; \
            with -c and one pod, one container's lines as it wrote them. With -f, new lines as \
            they come, also from containers that restart and from the new pods of a rollout. \
            Locally the logs stay until tandem down --local.

            Example:
              tandem logs shop
              tandem logs shop --component web -c app -f --since 10m
              tandem logs shop --previous --tail 50
              tandem logs --local log-shipping -c log-shipper -f
            """)

    @Argument(help: ArgumentHelp("The application's name (metadata.name).", valueName: "app"))
    var application: String

    @Flag(name: .customLong("local"), help: "The application runs locally (tandem up --local).")
    var local = false

    @Option(name: [.short, .long], help: ArgumentHelp("The application's namespace (default: the context's; locally: default).",
                                                      valueName: "namespace"))
    var namespace: String?

    @Option(name: .customLong("component"), help: ArgumentHelp("Only this component's pods.", valueName: "name"))
    var component: String?

    @Option(name: [.short, .customLong("container")], help: ArgumentHelp("Only this container's logs.", valueName: "container"))
    var container: String?

    @Flag(name: [.short, .customLong("follow")], help: "Keep printing new lines until Ctrl-C (locally: or until the application is removed).")
    var follow = false

    @Option(name: .customLong("tail"), help: ArgumentHelp("Only the last N lines of each container.", valueName: "n"))
    var tail: Int?

    @Option(name: .customLong("since"), help: ArgumentHelp("Only lines newer than this, like 30s, 10m or 2h.", valueName: "duration"))
    var since: TimeSpan?

    @Flag(name: [.short, .customLong("previous")], help: "On a cluster: the log of each container's previous run (before its last restart).")
    var previous = false

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if let tail, tail < 0 { throw ValidationError("--tail must not be negative") }
        if previous, follow { throw ValidationError("--previous reads runs that have ended: leave out -f") }
        if local {
            if previous {
                throw ValidationError("--previous is for a cluster: locally a container's log holds all its runs, one after the other")
            }
            try LocalApplication.validate(application, namespace: namespace)
        }
    }

    func run() async throws {
        if !local { return try await runOnCluster() }
        let state = LocalApplication.state(application, namespace: namespace)
        guard let plan = try? state.readPlan() else { throw LocalApplication.notRunning(application, namespace: namespace) }
        var sources = LogFiles.sources(plan, state: state)
        if let component {
            let pods = Set(plan.pods.filter { $0.component == component }.map(\.name))
            guard !pods.isEmpty else {
                let names = Set(plan.pods.map(\.component)).sorted().joined(separator: ", ")
                throw CLIFailure("application \(application) has no component \(component); its components: \(names)")
            }
            sources = sources.filter { pods.contains($0.pod) }
        }
        if let container {
            let all = sources
            sources = sources.filter { $0.container == container }
            guard !sources.isEmpty else {
                let names = Set(all.map(\.container)).sorted().joined(separator: ", ")
                throw CLIFailure("application \(application) has no container \(container); its containers: \(names)")
            }
        }
        let prefixed = sources.count > 1
        let width = sources.map(\.prefix.count).max() ?? 0
        func line(_ source: LogSource, _ line: LogLine) -> String {
            (prefixed ? source.prefix.padding(toLength: width, withPad: " ", startingAt: 0) + " | " : "") + line.text + "\n"
        }
        let oldest = since.map { Date().addingTimeInterval(-$0.duration.seconds) }
        func isRecent(_ line: LogLine) -> Bool {
            guard let oldest, let time = Timestamps.parse(line.time) else { return true }
            return time >= oldest
        }
        let lines = sources.flatMap { source in
            LogFiles.read(source, tail: nil).filter(isRecent).suffix(tail ?? Int.max).map { (source, $0) }
        }.sorted { $0.1.time < $1.1.time }
        Output.standardOutput(lines.map { line($0.0, $0.1) }.joined())
        guard follow else { return }
        let follower = LogFollower(sources: sources, fromEnd: true)
        let interrupt = Interruption()
        var planDate = state.planDate
        while !interrupt.happened, state.exists {
            // An update replaced pods: their successors' lines follow.
            if state.planDate != planDate, let plan = try? state.readPlan() {
                planDate = state.planDate
                follower.add(LogFiles.sources(plan, state: state).filter { source in container.map { source.container == $0 } ?? true })
            }
            let text = follower.poll().map { line($0.0, $0.1) }.joined()
            if !text.isEmpty { Output.standardOutput(text) }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    private func runOnCluster() async throws {
        let session: ClusterSession
        do {
            session = try ClusterSession.open(cluster)
        } catch {
            guard LocalApplication.isRunning(application, namespace: namespace) else { throw error }
            throw CLIFailure("\(error)\napplication \(application) runs locally: tandem logs --local \(application)"
                + (namespace.map { " -n \($0)" } ?? ""))
        }
        do {
            let namespace = self.namespace ?? session.connection.namespace ?? "default"
            if try await DeployedApplication.find(application, namespace: namespace, client: session.client) == nil,
               try await ControllerManagedApplication.find(application, namespace: namespace, client: session.client) == nil {
                throw DeployedApplication.notFound(application, namespace: namespace)
            }
            let logs = ClusterLogs(client: session.client, namespace: namespace, application: application, component: component,
                                   container: container, tail: tail, sinceSeconds: since.map { max(1, Int($0.duration.seconds.rounded(.up))) },
                                   previous: previous)
            if follow {
                try await logs.follow()
            } else {
                try await logs.printOnce(prefixed: nil)
            }
            await session.close()
        } catch {
            await session.close()
            throw CLIFailure.from(error)
        }
    }
}

/// `tandem down --local APP`: stop and remove what `up --local` made.
struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Stop an application running locally and remove everything it made (tandem up --local).",
        discussion: """
            Stops its supervisor and removes every podman pod, container, volume and secret \
            labelled with the application (io.tandem.local.app=APP, or NAMESPACE_APP with -n), and \
            its state folder, and nothing else. With --keep-volumes, the volumes of its \
            PersistentVolumeClaims stay for the next up. down only stops local applications, so \
            --local may be left out.

            Example:
              tandem down --local log-shipping
              tandem down shop -n team-a --keep-volumes
            """)

    @Argument(help: ArgumentHelp("The application's name (metadata.name).", valueName: "app"))
    var application: String

    @Flag(name: .customLong("local"), help: "The application runs locally (the only kind down stops: on a cluster, use tandem delete).")
    var local = false

    @Flag(name: .customLong("keep-volumes"), help: "Keep the volumes of the application's PersistentVolumeClaims.")
    var keepVolumes = false

    @Option(name: [.short, .long], help: ArgumentHelp("The application's namespace (default: default).", valueName: "namespace"))
    var namespace: String?

    /// `down` stops only local applications, so `--local` may be left out.
    func validate() throws {
        try LocalApplication.validate(application, namespace: namespace)
    }

    func run() async throws {
        let podman = try LocalUp.podman()
        let key = LocalNames.key(namespace: namespace ?? "default", name: application)
        let state = StateDirectory(application: key)
        let grace = ((try? state.readPlan())?.pods.map(\.terminationGracePeriodSeconds).max()).map { min($0, 10) } ?? 10
        let hadState = state.exists
        let removed = await LocalCleaner(podman: podman).remove(application: key, state: state, keepVolumes: keepVolumes,
                                                                gracePeriodSeconds: grace)
        guard !removed.isEmpty || hadState else {
            Output.standardOutput("application \(application) is not running locally; nothing to remove\n")
            return
        }
        var parts: [String] = []
        func count(_ items: [String], _ word: String) {
            if !items.isEmpty { parts.append("\(items.count) \(word)\(items.count == 1 ? "" : "s")") }
        }
        count(removed.pods, "pod")
        count(removed.volumes, "volume")
        count(removed.secrets, "secret")
        var text = "application \(application) stopped and removed" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
        if !removed.keptVolumes.isEmpty { text += "; kept volumes: \(removed.keptVolumes.joined(separator: ", "))" }
        Output.standardOutput(text + "\n")
    }
}

enum LocalApplication {
    static func notRunning(_ application: String, namespace: String?) -> CLIFailure {
        CLIFailure("application \(application)\(namespace.map { " in namespace \($0)" } ?? "") is not running locally "
            + "(start it with tandem up --local FILE)")
    }

    /// A name and namespace that can be an application's: they name folders, so nothing else may pass.
    static func validate(_ name: String, namespace: String?) throws {
        if let problem = StringFormat.dns1123Subdomain.violation(in: name) {
            throw ValidationError("'\(name)' is not an application name: \(problem)")
        }
        if let namespace, let problem = StringFormat.dns1123Label.violation(in: namespace) {
            throw ValidationError("--namespace '\(namespace)' is not a valid namespace name: \(problem)")
        }
    }

    /// The state folder of the application `name` of `namespace` (default: `default`).
    static func state(_ name: String, namespace: String?) -> StateDirectory {
        StateDirectory(application: LocalNames.key(namespace: namespace ?? "default", name: name))
    }

    /// Whether `name` of `namespace` runs locally (its state folder is there).
    static func isRunning(_ name: String, namespace: String?) -> Bool {
        (try? validate(name, namespace: namespace)) != nil && state(name, namespace: namespace).exists
    }

    /// `status --local`.
    static func status(_ application: String, namespace: String?, format: StatusFormat, view: StatusView) throws -> Bool {
        try validate(application, namespace: namespace)
        let state = state(application, namespace: namespace)
        guard let status = LocalStatus.read(state) else { throw notRunning(application, namespace: namespace) }
        switch format {
        case .text where view.tree:
            Output.standardOutput(view.render(status.health))
        case .text:
            Output.standardOutput(LocalText.table(status, supervisorRunning: state.runningSupervisor() != nil, width: Terminal.width))
        case .json: Output.standardOutput(JSONWriter.write(LocalText.json(status), indentWidth: 2) + "\n")
        case .yaml: Output.standardOutput(YAMLWriter.document(LocalText.json(status)))
        }
        return status.health.isHealthy
    }
}

/// The supervisor of an application started by `up --local` (run by up; not for people).
struct LocalSuperviseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: LocalSupervisor.commandName, shouldDisplay: false)

    @Argument var stateDirectory: String

    func run() async throws {
        let state = StateDirectory(path: stateDirectory)
        let plan = try state.readPlan()
        let podman = try LocalUp.podman()
        let rootless = (try? await podman.run(["info", "--format", "{{.Host.Security.Rootless}}"]))?.output.hasPrefix("true") ?? false
        let runner = ProbeRunner(podman: podman, executable: LocalUp.executable, rootless: rootless)
        await LocalSupervisor(plan: plan, podman: podman, state: state, probeRunner: runner).run()
    }
}

/// One network probe, run inside a pod's network namespace by the supervisor (not for people).
struct LocalProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: NetworkProbe.commandName, shouldDisplay: false)

    @Option var kind: String
    @Option var host: String
    @Option var port: Int
    @Option var path = "/"
    @Option var scheme = "HTTP"
    @Option var header: [String] = []
    @Option var service: String?
    @Option var timeout = 1

    func run() async throws {
        let outcome = await NetworkProbe.run(kind: kind, host: host, port: port, path: path, scheme: scheme, headers: header,
                                             service: service, timeoutSeconds: timeout)
        Output.standardOutput(outcome.message + "\n")
        if !outcome.success { throw ExitCode(1) }
    }
}

/// One Service's forwarder, run inside its podman pod's network by the supervisor (not for people).
struct LocalForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: ServiceForwarder.commandName, shouldDisplay: false)

    @Argument var stateDirectory: String
    @Option var service: String
    @Option var supervisor: Int32
    @Option var port: [Int] = []

    func run() async throws {
        let forwarder = ServiceForwarder(state: StateDirectory(path: stateDirectory), service: service, supervisor: supervisor)
        do {
            try forwarder.run(ports: port)
        } catch {
            throw CLIFailure("service/\(service): \(error)")
        }
    }
}
