import Foundation

/// Creates what a plan describes — the state folder and its files, podman secrets and
/// volumes, pods and their containers — without starting any container (the supervisor starts
/// them, in order). On any failure it removes what it made: nothing is left half-created.
public struct LocalLauncher: Sendable {
    public var podman: Podman
    public var state: StateDirectory

    public init(podman: Podman, state: StateDirectory) {
        self.podman = podman
        self.state = state
    }

    /// The infra container of a pod, named so that the supervisor finds its network.
    public static func infraName(_ pod: PodPlan) -> String { PodmanArguments.infraName(pod.podmanName) }

    /// The format that prints a container's address on the application's network.
    public static let addressFormat = "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"

    /// How many pods are created at once. podman takes about a second per container joining a
    /// pod here, most of it under its own locks: four at once is faster than one, and than eight.
    static let concurrentPods = 4

    public func launch(_ plan: LocalPlan) async throws {
        do {
            try await create(plan)
        } catch {
            await LocalCleaner(podman: podman).remove(application: plan.key, state: state, keepVolumes: false,
                                                      keepReusedVolumes: true, gracePeriodSeconds: 0)
            throw error
        }
    }

    private func create(_ plan: LocalPlan) async throws {
        try state.create()
        try state.writePlan(plan)
        try writeFiles(plan)
        let arguments = PodmanArguments(plan: plan, stateDirectory: state.path)
        for secret in plan.secrets {
            try await podman.run(arguments.createSecret(secret), input: secret.value)
        }
        var reused: [String] = []
        for volume in plan.volumes {
            // A claim kept by `down --keep-volumes` is the application's to use again.
            if volume.kind == "claim", try await isOwnVolume(volume.name, application: plan.key) {
                reused.append(volume.name)
                try StateDirectory.writeAtomically(Data(reused.map { $0 + "\n" }.joined().utf8), to: state.reusedVolumesFile)
                continue
            }
            try await podman.run(arguments.createVolume(volume))
        }
        // The network outlives an update; a network left by a run that was killed is the application's to use again.
        if try await podman.attempt(["network", "exists", plan.network]).status != 0 {
            try await podman.run(arguments.createNetwork())
        }
        for service in plan.services {
            try await createServicePod(service, arguments)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = plan.pods[...]
            for _ in 0..<Self.concurrentPods {
                guard let pod = pending.popFirst() else { break }
                group.addTask { try await createPod(pod, arguments) }
            }
            while try await group.next() != nil {
                guard let pod = pending.popFirst() else { continue }
                group.addTask { try await createPod(pod, arguments) }
            }
        }
    }

    /// ConfigMap files and hostPath folders the pods mount: written again by an update, as the
    /// kubelet refreshes a running pod's ConfigMap volumes.
    private func writeFiles(_ plan: LocalPlan) throws {
        for file in plan.files {
            let path = "\(state.files)/\(file.path)"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try file.contents.write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: file.mode], ofItemAtPath: path)
        }
        // A ConfigMap volume with no files (optional and missing, or empty) is an empty folder.
        for pod in plan.pods {
            for container in pod.allContainers {
                for case .files(let folder) in container.mounts.map(\.source) {
                    try FileManager.default.createDirectory(atPath: "\(state.files)/\(folder)", withIntermediateDirectories: true)
                }
            }
        }
        for pod in plan.pods {
            for case .hostPath(let path, let type) in pod.volumes.values where !FileManager.default.fileExists(atPath: path) {
                switch type {
                case "", "DirectoryOrCreate":
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                case "FileOrCreate":
                    // As the kubelet: an empty file, mode 0644, in a folder that must exist.
                    guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]) else {
                        throw LocalProblem("hostPath \(path)", "cannot be created (FileOrCreate)", hint: "create its folder first")
                    }
                default:
                    break
                }
            }
        }
    }

    /// Carries `plan` (from `LocalUpdate.merge`) out beside `running`: creates what it adds
    /// (secrets, volumes, Services, pods, none of them started), remakes the Services that
    /// changed, then writes the plan, which the supervisor reads and rolls out. On a failure
    /// the pods and Services it made are removed and what ran runs on, untouched.
    public func update(running: LocalPlan, to plan: LocalPlan) async throws {
        let arguments = PodmanArguments(plan: plan, stateDirectory: state.path)
        let added = LocalUpdate.added(running: running, wanted: plan)
        let services = LocalUpdate.services(running: running, wanted: plan)
        do {
            try writeFiles(plan)
            let secrets = Set((try await podman.run(["secret", "ls", "--format", "{{.Name}}"])).output.split(separator: "\n").map(String.init))
            for secret in plan.secrets where !secrets.contains(secret.name) {
                try await podman.run(arguments.createSecret(secret), input: secret.value)
            }
            for volume in plan.volumes where try await podman.attempt(["volume", "exists", volume.name]).status != 0 {
                try await podman.run(arguments.createVolume(volume))
            }
            if try await podman.attempt(["network", "exists", plan.network]).status != 0 {
                try await podman.run(arguments.createNetwork())
            }
            if !services.remove.isEmpty {
                try await podman.run(["pod", "rm", "--force", "--time", "0"] + services.remove.map(\.podmanName))
            }
            for service in services.create {
                try await createServicePod(service, arguments)
            }
            for pod in added {
                try await createPod(pod, arguments)
            }
            try state.writePlan(plan)
        } catch {
            let made = added.map(\.podmanName) + services.create.map(\.podmanName)
            if !made.isEmpty { _ = try? await podman.attempt(["pod", "rm", "--force", "--time", "0"] + made) }
            throw error
        }
    }

    private func isOwnVolume(_ name: String, application: String) async throws -> Bool {
        let result = try await podman.attempt(["volume", "inspect", "--format", "{{index .Labels \"\(LocalNames.appLabel)\"}}", name])
        guard result.status == 0 else { return false }
        guard result.output.trimmingCharacters(in: .whitespacesAndNewlines) == application else {
            throw LocalProblem("podman volume \(name)", "it exists and is not this application's", hint: "remove it, or rename the claim")
        }
        return true
    }

    /// A Service's pod runs from the start: its address is there before any pod looks its name up.
    func createServicePod(_ service: ServicePlan, _ arguments: PodmanArguments) async throws {
        try await podman.run(arguments.createServicePod(service))
        try await podman.run(["pod", "start", service.podmanName])
    }

    private func createPod(_ pod: PodPlan, _ arguments: PodmanArguments) async throws {
        try await podman.run(arguments.createPod(pod) + ["--infra-name", Self.infraName(pod)])
        var address: String?
        if pod.needsPodIP {
            try await podman.run(["pod", "start", pod.podmanName])
            address = try await podman.run(["inspect", "--type", "container", "--format", Self.addressFormat,
                                            Self.infraName(pod)]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let podIP = address
        try await withThrowingTaskGroup(of: Void.self) { group in
            for container in pod.allContainers {
                group.addTask { try await podman.run(arguments.createContainer(container, in: pod, podIP: podIP)) }
            }
            try await group.waitForAll()
        }
    }

    /// Starts the supervisor as a process of its own session, so that it outlives `up -d` and
    /// a closed terminal; its output goes to the state folder.
    public func spawnSupervisor(executable: String) throws -> SupervisorProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, state.supervisorLog, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        actions.closeInheritedDescriptors()
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new session (POSIX_SPAWN_SETSID, glibc's 0x80, which Swift's Glibc module does not
        // import), every signal unblocked and at its default (SETSIGMASK, SETSIGDEF): the caller
        // runs on a thread that blocks signals and ignores Ctrl-C, which the supervisor must not inherit.
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(0x80 | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let words: [String] = [executable, LocalSupervisor.commandName, state.path]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL) }
        return SupervisorProcess(pid: pid)
    }
}
