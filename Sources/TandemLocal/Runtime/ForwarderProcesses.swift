import Foundation

/// The supervisor's Service forwarders (`tandem local-forward`), one per Service with a TCP
/// port, each run in the network of its Service's pod through nsenter as network probes are;
/// started again when one ends.
struct ForwarderProcesses {
    var runner: ProbeRunner
    var state: StateDirectory
    private(set) var running: [String: pid_t] = [:]

    init(runner: ProbeRunner, state: StateDirectory) {
        self.runner = runner
        self.state = state
    }

    /// Whether the forwarder of `service` runs; reaps it when it has ended.
    mutating func isRunning(_ service: String) -> Bool {
        guard let pid = running[service] else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 { return true }
        running[service] = nil
        return false
    }

    /// Stops the forwarder of `service`, whose pod an update made again.
    mutating func stop(_ service: String) {
        guard let pid = running.removeValue(forKey: service) else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// Starts the forwarder of `service` in the network namespace that `infraPID` holds.
    mutating func start(_ service: ServicePlan, infraPID: Int32) throws {
        guard let nsenter = Subprocess.find("nsenter") else {
            throw ForwarderError("nsenter (util-linux) is not installed: Services cannot be reached")
        }
        var words = [nsenter, "--target", String(infraPID), "--net", "--", runner.executable, ServiceForwarder.commandName, state.path,
                     "--service", service.name, "--supervisor", String(getpid())]
        for port in service.ports where port.proto == "tcp" { words += ["--port", String(port.port)] }
        if runner.rootless { words = [runner.podman.executable, "unshare"] + words }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        actions.closeInheritedDescriptors()
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, words[0], &actions, nil, argv, environ)
        guard status == 0 else { throw ForwarderError("cannot start the forwarder of service/\(service.name): \(String(cString: strerror(status)))") }
        running[service.name] = pid
    }
}
