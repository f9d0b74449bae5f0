import Foundation
import TandemJSON

/// `tandem port-forward --local`: a port of a pod of an application running locally, reached
/// from 127.0.0.1. Each connection goes to the pod's address on the application's podman
/// network from inside the pod's network namespace — a `tandem local-connect` started there
/// through nsenter, as network probes and Service forwarders are — so it works whether podman
/// runs as root or rootless (whose network the host cannot reach). The pod is looked up at each
/// connection: once an update has replaced it, new connections reach its successor.
public struct LocalPortForward: Sendable {
    /// The hidden subcommand that carries one connection inside the pod's network.
    public static let connectCommand = "local-connect"

    public var state: StateDirectory
    public var podman: Podman
    /// The tandem executable, and whether podman is rootless (nsenter then runs in its user namespace).
    public var runner: ProbeRunner
    public var component: String?

    public init(state: StateDirectory, podman: Podman, runner: ProbeRunner, component: String?) {
        self.state = state
        self.podman = podman
        self.runner = runner
        self.component = component
    }

    /// The pod a connection goes to: the component's first ready pod with an address, else its
    /// first pod with one.
    public struct Target: Sendable, Equatable {
        public var pod: String
        public var infra: String
        public var address: String
    }

    public func target() throws -> Target {
        let plan = try state.readPlan()
        let components = plan.pods.reduce(into: [String]()) { if !$0.contains($1.component) { $0.append($1.component) } }
        let chosen = component ?? components.first ?? ""
        let pods = plan.pods.filter { $0.component == chosen }
        guard !pods.isEmpty else {
            throw ForwarderError("application \(plan.application) has no component \(chosen); its components: \(components.joined(separator: ", "))")
        }
        let running = Self.runningPods(state)
        let candidates = pods.compactMap { pod in running[pod.name].map { (pod, $0) } }
        guard let (pod, found) = candidates.first(where: { $0.1.ready }) ?? candidates.first else {
            throw ForwarderError("component \(chosen) of application \(plan.application) has no running pod with an address yet")
        }
        return Target(pod: pod.name, infra: LocalLauncher.infraName(pod), address: found.address)
    }

    /// The pods the supervisor last wrote with an address, by name, and whether each is ready.
    static func runningPods(_ state: StateDirectory) -> [String: (address: String, ready: Bool)] {
        guard let data = FileManager.default.contents(atPath: state.statusFile),
              let json = try? JSONReader().read([UInt8](data)) else { return [:] }
        var pods: [String: (address: String, ready: Bool)] = [:]
        for pod in json["pods"]?.array ?? [] {
            guard let name = pod[path: ["metadata", "name"]]?.string, let address = pod[path: ["status", "podIP"]]?.string,
                  pod[path: ["status", "phase"]]?.string == "Running" else { continue }
            let ready = (pod[path: ["status", "conditions"]]?.array ?? []).contains { $0["type"] == "Ready" && $0["status"] == "True" }
            pods[name] = (address, ready)
        }
        return pods
    }

    /// Accepts connections on `listener` until it is closed, each sent to port `remote` of the pod.
    public func serve(_ listener: Int32, remote: Int, failed: @escaping @Sendable (String) -> Void) {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            Thread.detachNewThread { [self] in
                do {
                    try connect(client, remote: remote)
                } catch {
                    failed("\(error)")
                }
                close(client)
            }
        }
    }

    /// Carries `client` to the pod's port through a `local-connect` in the pod's network, and
    /// waits until that ends.
    private func connect(_ client: Int32, remote: Int) throws {
        let target = try target()
        let inspect = try Subprocess.runBlocking(podman.executable, ["inspect", "--type", "container", "--format", "{{.State.Pid}}", target.infra],
                                                 input: nil, timeout: .seconds(30))
        guard inspect.status == 0, let pid = Int32(inspect.output.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 else {
            throw ForwarderError("the network of pod \(target.pod) is not running: \(inspect.errorLine)")
        }
        guard let nsenter = Subprocess.find("nsenter") else { throw ForwarderError("nsenter (util-linux) is not installed: ports cannot be forwarded") }
        var words = [nsenter, "--target", String(pid), "--net", "--", runner.executable, Self.connectCommand,
                     "--host", target.address, "--port", String(remote)]
        if runner.rootless { words = [podman.executable, "unshare"] + words }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, client, 0)
        posix_spawn_file_actions_adddup2(&actions, client, 1)
        actions.closeInheritedDescriptors()
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, words[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw ForwarderError("cannot start \(words[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0, errno == EINTR {}
    }

    /// The `local-connect` side, inside the pod's network: standard input and output (the
    /// forwarded connection) copied to and from `host:port`, both ways until both ends are done.
    public static func relay(host: String, port: Int) throws {
        let upstream = ServiceForwarder.connect(host, port)
        guard upstream >= 0 else { throw ForwarderError("nothing answers on \(host):\(port) in the pod") }
        let done = DispatchGroup()
        done.enter()
        Thread.detachNewThread {
            ServiceForwarder.copy(from: 0, to: upstream)
            done.leave()
        }
        ServiceForwarder.copy(from: upstream, to: 1)
        done.wait()
        close(upstream)
    }
}
