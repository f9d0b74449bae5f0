import Foundation

/// What must hold before anything is created: the application is not already running (unless
/// this is an update of it), every image is here (nothing is pulled), every port to publish is
/// free (those the running application publishes already aside), every hostPath that must exist
/// does. All problems are found at once.
public struct LocalPreflight: Sendable {
    public var podman: Podman

    public init(podman: Podman) {
        self.podman = podman
    }

    public func check(_ plan: LocalPlan, state: StateDirectory, updating running: LocalPlan? = nil) async -> [LocalProblem] {
        var problems: [LocalProblem] = []
        if let running {
            let published = Set((running.pods.flatMap(\.publish) + running.services.flatMap(\.publish)).map { "\($0.hostPort)/\($0.proto)" })
            var wanted = plan
            for index in wanted.pods.indices { wanted.pods[index].publish.removeAll { published.contains("\($0.hostPort)/\($0.proto)") } }
            for index in wanted.services.indices { wanted.services[index].publish.removeAll { published.contains("\($0.hostPort)/\($0.proto)") } }
            return await images(plan) + ports(wanted) + hostPaths(plan)
        }
        let running = (try? await podman.run(["pod", "ps", "--filter", "label=\(LocalNames.appLabel)=\(plan.key)",
                                              "--format", "{{.Name}}"]))?.output ?? ""
        if !running.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || state.runningSupervisor() != nil {
            problems.append(LocalProblem("application \(plan.application)", "it is already running locally",
                                         remedy: .stopRunningCopy(application: plan.application, namespace: plan.namespace)))
            return problems
        }
        problems += await images(plan)
        problems += ports(plan)
        problems += hostPaths(plan)
        return problems
    }

    /// Images are looked up locally, never pulled: a missing one is named with how to load it.
    func images(_ plan: LocalPlan) async -> [LocalProblem] {
        var users: [String: [(ContainerPlan, PodPlan)]] = [:]
        var order: [String] = []
        for pod in plan.pods {
            for container in pod.allContainers {
                if users[container.image] == nil { order.append(container.image) }
                users[container.image, default: []].append((container, pod))
            }
        }
        let podman = self.podman
        let missing = await withTaskGroup(of: (String, Bool).self) { group in
            for image in order {
                group.addTask { (image, (try? await podman.attempt(["image", "exists", image]))?.status == 0) }
            }
            var missing: Set<String> = []
            for await (image, present) in group where !present { missing.insert(image) }
            return missing
        }
        var problems: [LocalProblem] = []
        for image in order where missing.contains(image) {
            let uses = users[image] ?? []
            guard let (container, pod) = uses.first else { continue }
            let subject = "\(container.displayName) in pod \(pod.name) (component '\(pod.component)')"
                + (uses.count > 1 ? " and \(uses.count - 1) more" : "")
            let hint = "load it into podman (podman load -i IMAGE.tar), build it (podman build -t \(image) .), "
                + "or pull it where its registry can be reached (podman pull \(image))"
            // Nothing is pulled: a registry is never contacted behind the user's back (containers
            // are created with --pull never too).
            let policy = uses.allSatisfy({ $0.0.pullPolicy == "Never" }) ? "its imagePullPolicy is Never" : "the local runtime pulls nothing"
            problems.append(LocalProblem(subject, reason: "ErrImageNeverPull", "image \(image) is not present locally (\(policy))", hint: hint))
        }
        return problems
    }

    func ports(_ plan: LocalPlan) -> [LocalProblem] {
        let services = plan.services.flatMap { service in
            service.publish.compactMap { port -> LocalProblem? in
                guard let problem = PortCheck.problem(port: port.hostPort, proto: port.proto) else { return nil }
                return LocalProblem("service/\(service.name)", "port \(port.hostPort)/\(port.proto) cannot be published on this machine: \(problem)",
                                    hint: "stop what uses it (ss -ltnp 'sport = :\(port.hostPort)' shows it)", remedy: .withoutPublishing)
            }
        }
        return services + plan.pods.flatMap { pod in
            pod.publish.compactMap { port -> LocalProblem? in
                guard let problem = PortCheck.problem(port: port.hostPort, proto: port.proto) else { return nil }
                return LocalProblem("container '\(port.container)' in pod \(pod.name) (component '\(pod.component)')",
                                    "port \(port.hostPort)/\(port.proto) cannot be published on this machine: \(problem)",
                                    hint: "stop what uses it (ss -ltnp 'sport = :\(port.hostPort)' shows it) or set another hostPort",
                                    remedy: .withoutPublishing)
            }
        }
    }

    func hostPaths(_ plan: LocalPlan) -> [LocalProblem] {
        var problems: [LocalProblem] = []
        for pod in plan.pods {
            for (volume, source) in pod.volumes.sorted(by: { $0.key < $1.key }) {
                guard case .hostPath(let path, let type) = source, !["", "DirectoryOrCreate", "FileOrCreate"].contains(type) else { continue }
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                if !exists || (type == "Directory" && !isDirectory.boolValue) || (type == "File" && isDirectory.boolValue) {
                    problems.append(LocalProblem("pod \(pod.name) (component '\(pod.component)')", reason: "FailedMount",
                                                 "MountVolume.SetUp failed for volume \"\(volume)\" : hostPath type check failed: \(path) is not a \(type)"))
                }
            }
        }
        return problems
    }
}

/// Whether a port of this machine is free, found by binding it for a moment.
enum PortCheck {
    static func problem(port: Int, proto: String) -> String? {
        guard (1...65535).contains(port) else { return "\(port) is not a port number" }
        let fd = socket(AF_INET, Int32(proto == "udp" ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        // As podman binds it: a port whose last connection is only waiting out TIME_WAIT is free.
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound != 0 else { return nil }
        return errno == EADDRINUSE ? "it is already in use" : String(cString: strerror(errno)).lowercased()
    }
}
