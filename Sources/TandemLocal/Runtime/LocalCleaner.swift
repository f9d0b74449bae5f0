import Foundation

/// Removes everything an application made locally, found by its label (and, for secrets, which
/// podman cannot filter by label, by its name and label both), and nothing else.
public struct LocalCleaner: Sendable {
    public var podman: Podman

    public init(podman: Podman) {
        self.podman = podman
    }

    public struct Removed: Sendable {
        public var pods: [String] = []
        public var containers: [String] = []
        public var volumes: [String] = []
        public var secrets: [String] = []
        public var keptVolumes: [String] = []

        public var isEmpty: Bool { pods.isEmpty && containers.isEmpty && volumes.isEmpty && secrets.isEmpty && keptVolumes.isEmpty }
    }

    /// `application` is its local key (`LocalNames.key`). Stops the supervisor, then removes pods (their containers with them), leftover containers,
    /// volumes (claims too, unless `keepVolumes`; with `keepReusedVolumes`, not the claims this
    /// run found kept from before), secrets and the state folder.
    @discardableResult
    public func remove(application: String, state: StateDirectory, keepVolumes: Bool, keepReusedVolumes: Bool = false,
                       gracePeriodSeconds: Int) async -> Removed {
        let reused = keepReusedVolumes ? state.reusedVolumes : []
        // Every supervisor of the application, whatever its state folder still says of them.
        SupervisorProcesses.stopAll(state)
        var removed = Removed()
        let label = "label=\(LocalNames.appLabel)=\(application)"
        removed.pods = await names(["pod", "ps", "--filter", label, "--format", "{{.Name}}"])
        if !removed.pods.isEmpty {
            _ = try? await podman.attempt(["pod", "rm", "--force", "--time", String(gracePeriodSeconds)] + removed.pods)
        }
        removed.containers = await names(["ps", "--all", "--filter", label, "--format", "{{.Names}}"])
        if !removed.containers.isEmpty {
            _ = try? await podman.attempt(["rm", "--force", "--time", "0"] + removed.containers)
        }
        // The network goes once nothing is on it.
        let networks = await names(["network", "ls", "--filter", label, "--format", "{{.Name}}"])
        if !networks.isEmpty {
            _ = try? await podman.attempt(["network", "rm", "--force"] + networks)
        }
        let volumes = await names(["volume", "ls", "--filter", label, "--format", "{{.Name}}"])
        let claims = Set(await names(["volume", "ls", "--filter", label, "--filter", "label=\(LocalNames.volumeKindLabel)=claim",
                                      "--format", "{{.Name}}"]))
        let kept = { (name: String) in reused.contains(name) || (keepVolumes && claims.contains(name)) }
        removed.volumes = volumes.filter { !kept($0) }
        removed.keptVolumes = volumes.filter(kept)
        if !removed.volumes.isEmpty {
            _ = try? await podman.attempt(["volume", "rm", "--force"] + removed.volumes)
        }
        removed.secrets = await ownSecrets(application)
        if !removed.secrets.isEmpty {
            _ = try? await podman.attempt(["secret", "rm"] + removed.secrets)
        }
        state.remove()
        return removed
    }

    private func names(_ arguments: [String]) async -> [String] {
        guard let result = try? await podman.run(arguments) else { return [] }
        return result.output.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }.sorted()
    }

    /// Secrets named for the application and labelled with it.
    private func ownSecrets(_ application: String) async -> [String] {
        let candidates = await names(["secret", "ls", "--format", "{{.Name}}"]).filter { $0.hasPrefix(LocalNames.prefix(application)) }
        guard !candidates.isEmpty else { return [] }
        let format = "{{.Spec.Name}} {{index .Spec.Labels \"\(LocalNames.appLabel)\"}}"
        let lines = await names(["secret", "inspect", "--format", format] + candidates)
        return lines.compactMap { line in
            let words = line.split(separator: " ").map(String.init)
            return words.count == 2 && words[1] == application ? words[0] : nil
        }
    }
}
