import Foundation
import TandemJSON

/// The podman command lines that create what a plan describes. Pure, so that what podman is told
/// can be read in a test.
public struct PodmanArguments: Sendable {
    public var plan: LocalPlan
    /// The application's state folder: logs and files live there.
    public var stateDirectory: String

    public init(plan: LocalPlan, stateDirectory: String) {
        self.plan = plan
        self.stateDirectory = stateDirectory
    }

    var appLabel: [String] { ["--label", "\(LocalNames.appLabel)=\(plan.key)"] }

    public func logFile(_ container: ContainerPlan) -> String { "\(stateDirectory)/logs/\(container.podmanName).log" }

    public func createVolume(_ volume: VolumePlan) -> [String] {
        var arguments = ["volume", "create"] + appLabel + ["--label", "\(LocalNames.volumeKindLabel)=\(volume.kind)"]
        if volume.inMemory { arguments += ["--opt", "type=tmpfs", "--opt", "device=tmpfs"] }
        return arguments + [volume.name]
    }

    /// The value is given on standard input, never on the command line.
    public func createSecret(_ secret: SecretPlan) -> [String] {
        ["secret", "create"] + appLabel + [secret.name, "-"]
    }

    /// The application's network, labelled so that `down` finds it; podman's DNS is on for it.
    public func createNetwork() -> [String] {
        ["network", "create"] + appLabel + [plan.network]
    }

    /// A Service's pod: only its infra container, which holds the address its names resolve to.
    public func createServicePod(_ service: ServicePlan) -> [String] {
        var arguments = ["pod", "create", "--name", service.podmanName, "--infra-name", Self.infraName(service.podmanName)] + appLabel
            + ["--label", "\(LocalNames.serviceLabel)=\(service.name)", "--network", plan.network]
        for alias in service.aliases { arguments += ["--network-alias", alias] }
        for port in service.publish { arguments += ["--publish", "\(port.hostPort):\(port.containerPort)/\(port.proto)"] }
        return arguments
    }

    /// The infra container of a pod, named so that the supervisor finds its network.
    public static func infraName(_ podmanName: String) -> String { "\(podmanName)-infra" }

    public func createPod(_ pod: PodPlan) -> [String] {
        var arguments = ["pod", "create", "--name", pod.podmanName, "--hostname", pod.name] + appLabel
            + ["--label", "\(LocalNames.podLabel)=\(pod.name)", "--network", plan.network]
        for (key, value) in pod.labels.sorted(by: { $0.key < $1.key }) { arguments += ["--label", "\(key)=\(value)"] }
        for port in pod.publish { arguments += ["--publish", "\(port.hostPort):\(port.containerPort)/\(port.proto)"] }
        for alias in pod.aliases { arguments += ["--network-alias", alias] }
        for alias in pod.hostAliases {
            let words = alias.split(separator: " ")
            guard let ip = words.first else { continue }
            for name in words.dropFirst() { arguments += ["--add-host", "\(name):\(ip)"] }
        }
        return arguments
    }

    /// `podman create` for a container of `pod`; `podIP` fills `status.podIP` variables.
    public func createContainer(_ container: ContainerPlan, in pod: PodPlan, podIP: String?) -> [String] {
        var arguments = ["create", "--pod", pod.podmanName, "--name", container.podmanName] + appLabel
            + ["--label", "\(LocalNames.podLabel)=\(pod.name)", "--label", "\(LocalNames.containerLabel)=\(container.name)",
               "--label", "\(LocalNames.roleLabel)=\(container.role)"]
        // A small init as PID 1 passes SIGTERM on, so a shell stops at once, as it would in a pod.
        arguments += ["--init", "--pull", "never", "--restart", "no", "--stop-timeout", String(pod.terminationGracePeriodSeconds)]
        arguments += ["--log-driver", "k8s-file", "--log-opt", "path=\(logFile(container))"]
        var known: [String: String] = [:]
        var podIPVariables: [String: String] = [:]
        for variable in container.environment {
            switch variable.source {
            case .value(var value):
                // The pod's IP is known only now: references to it were left for here.
                for (name, address) in podIPVariables where value.contains("$(\(name))") {
                    value = value.replacingOccurrences(of: "$(\(name))", with: address)
                }
                arguments += ["--env", "\(variable.name)=\(value)"]
                known[variable.name] = value
            case .podIP:
                let value = podIP ?? ""
                arguments += ["--env", "\(variable.name)=\(value)"]
                known[variable.name] = value
                podIPVariables[variable.name] = value
            case .secret(let secret):
                arguments += ["--secret", "\(secret),type=env,target=\(variable.name)"]
            }
        }
        for mount in container.mounts { arguments += mountArguments(mount) }
        let resources = container.resources
        if let cpus = resources.cpus { arguments += ["--cpus", String(format: "%.3f", cpus)] }
        if let memory = resources.memory { arguments += ["--memory", String(memory)] }
        if let shares = resources.cpuShares { arguments += ["--cpu-shares", String(shares)] }
        if let reservation = resources.memoryReservation { arguments += ["--memory-reservation", String(reservation)] }
        if let workingDir = container.workingDir { arguments += ["--workdir", workingDir] }
        if let user = container.user { arguments += ["--user", user] }
        if container.privileged { arguments.append("--privileged") }
        if container.readOnlyRoot { arguments.append("--read-only") }
        for capability in container.capabilitiesAdded { arguments += ["--cap-add", capability] }
        for capability in container.capabilitiesDropped { arguments += ["--cap-drop", capability] }
        if container.tty { arguments.append("--tty") }
        if container.stdin { arguments.append("--interactive") }
        let command = container.command.flatMap { $0.isEmpty ? nil : $0 }?.map { EnvironmentResolver.expand($0, known) }
        let args = container.args?.map { EnvironmentResolver.expand($0, known) }
        if let command {
            arguments += ["--entrypoint", JSONWriter.compact(.array(command.map(JSONValue.string)))]
        }
        return arguments + [container.image] + (args ?? [])
    }

    func mountArguments(_ mount: MountPlan) -> [String] {
        let readOnly = mount.readOnly ? ":ro" : ""
        func joined(_ base: String, _ sub: String?) -> String { sub.map { "\(base)/\($0)" } ?? base }
        switch mount.source {
        case .volume(let name):
            return ["--volume", "\(name):\(mount.target)\(readOnly)"]
        case .hostPath(let path, _):
            return ["--volume", "\(joined(path, mount.subPath)):\(mount.target)\(readOnly)"]
        case .files(let folder):
            return ["--volume", "\(joined("\(stateDirectory)/files/\(folder)", mount.subPath)):\(mount.target):ro"]
        case .secrets(let files):
            var arguments: [String] = []
            for file in files {
                let target: String
                if let subPath = mount.subPath {
                    guard subPath == file.path else { continue }
                    target = mount.target
                } else {
                    target = mount.target.hasSuffix("/") ? mount.target + file.path : "\(mount.target)/\(file.path)"
                }
                arguments += ["--secret", "\(file.secret),type=mount,target=\(target),mode=0\(String(file.mode, radix: 8))"]
            }
            return arguments
        }
    }
}
