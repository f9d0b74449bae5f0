import Foundation

/// What one run of a probe found.
public struct ProbeOutcome: Sendable, Hashable {
    public var success: Bool
    /// The kubelet's words: the command's output, `HTTP probe failed with statuscode: 500`,
    /// `dial tcp 10.88.0.4:8080: connect: connection refused`.
    public var message: String

    public init(success: Bool, message: String) {
        self.success = success
        self.message = message
    }
}

/// Runs probes as the kubelet does: exec inside the container (`podman exec`); httpGet,
/// tcpSocket and grpc from inside the pod's network, by running `tandem local-probe` in the
/// network namespace of the pod's infra container (`nsenter`), so that they work whatever the
/// image holds, and without reaching into the pod from outside.
public struct ProbeRunner: Sendable {
    public var podman: Podman
    /// The tandem executable, run as the network probe.
    public var executable: String
    /// Rootless podman's network namespaces are entered from its user namespace.
    public var rootless: Bool

    /// Seconds allowed beyond the probe's own timeout for podman and nsenter to start.
    static let startupAllowance = 3

    public init(podman: Podman, executable: String, rootless: Bool) {
        self.podman = podman
        self.executable = executable
        self.rootless = rootless
    }

    public func run(_ probe: ProbeSpec, container: String, infraPID: Int32?, podIP: String?) async -> ProbeOutcome {
        let timeout = Duration.seconds(probe.timeoutSeconds + Self.startupAllowance)
        switch probe.handler {
        case .exec(let command):
            do {
                let result = try await podman.attempt(["exec", container] + command, timeout: timeout)
                if result.timedOut { return ProbeOutcome(success: false, message: "command \(Self.quoted(command)) timed out") }
                if result.status == 0 { return ProbeOutcome(success: true, message: "") }
                let output = (result.output + result.errorOutput).trimmingCharacters(in: .whitespacesAndNewlines)
                if (125...127).contains(result.status), output.hasPrefix("Error:") {
                    return ProbeOutcome(success: false, message: result.errorLine)
                }
                return ProbeOutcome(success: false, message: output.isEmpty
                    ? "command \(Self.quoted(command)) exited with code \(result.status)" : String(output.prefix(1024)))
            } catch {
                return ProbeOutcome(success: false, message: "\(error)")
            }
        case .httpGet, .tcpSocket, .grpc:
            guard let infraPID else { return ProbeOutcome(success: false, message: "the pod's network is not running") }
            guard let nsenter = Subprocess.find("nsenter") else {
                return ProbeOutcome(success: false, message: "nsenter (util-linux) is not installed: network probes cannot run")
            }
            var command = [nsenter, "--target", String(infraPID), "--net", "--", executable, NetworkProbe.commandName]
                + NetworkProbe.arguments(for: probe.handler, podIP: podIP, timeoutSeconds: probe.timeoutSeconds)
            if rootless { command = [podman.executable, "unshare"] + command }
            do {
                let result = try await Subprocess.run(command[0], Array(command.dropFirst()), timeout: timeout)
                let message = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
                if result.timedOut { return ProbeOutcome(success: false, message: "probe timed out") }
                if result.status == 0 { return ProbeOutcome(success: true, message: message) }
                return ProbeOutcome(success: false, message: message.isEmpty ? result.errorLine : message)
            } catch {
                return ProbeOutcome(success: false, message: "\(error)")
            }
        }
    }

    static func quoted(_ command: [String]) -> String { "[\(command.joined(separator: " "))]" }
}
