import Foundation
import TandemJSON

/// Runs a kubeconfig `exec` credential plugin (`client.authentication.k8s.io/v1` or `v1beta1`)
/// as kubectl does: the command with its args, the kubeconfig's env on top of ours,
/// `KUBERNETES_EXEC_INFO` describing the request, stdin only when interactive. The plugin
/// answers with an `ExecCredential` whose `status` holds a token or a client certificate.
public struct ExecCredentialPlugin: Sendable {
    public var config: Kubeconfig.ExecConfig
    /// The cluster, passed to the plugin when the kubeconfig asks (`provideClusterInfo`).
    public var cluster: JSONValue?

    public init(config: Kubeconfig.ExecConfig, cluster: JSONValue? = nil) {
        self.config = config
        self.cluster = cluster
    }

    static let apiVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]

    /// What the plugin printed.
    public struct Credential: Sendable {
        public var token: String?
        public var identity: ClientIdentity?
        /// When to run the plugin again; nil keeps the credential until the server refuses it.
        public var expiry: Date?
    }

    public func run(environment: [String: String] = ProcessInfo.processInfo.environment,
                    standardInputIsTerminal: Bool = isatty(0) == 1) async throws -> Credential {
        let name = (config.command as NSString).lastPathComponent
        guard Self.apiVersions.contains(config.apiVersion) else {
            throw KubeError.credentials("the exec credential plugin '\(name)' uses apiVersion \(config.apiVersion); "
                + "tandem speaks \(Self.apiVersions.joined(separator: " and "))")
        }
        let interactive: Bool
        switch config.interactiveMode {
        case "Never": interactive = false
        case "Always":
            guard standardInputIsTerminal else {
                throw KubeError.credentials("the exec credential plugin '\(name)' needs a terminal to ask for credentials "
                    + "(interactiveMode: Always), and standard input is not one")
            }
            interactive = true
        default: interactive = standardInputIsTerminal
        }
        guard let executable = Self.locate(config.command, path: environment["PATH"] ?? "/usr/bin:/bin") else {
            var message = "the exec credential plugin '\(config.command)' was not found"
                + (config.command.contains("/") ? "" : " on PATH")
            if let hint = config.installHint, !hint.isEmpty { message += "\n" + hint }
            throw KubeError.credentials(message)
        }

        var info: JSONObject = ["kind": "ExecCredential", "apiVersion": .string(config.apiVersion)]
        var spec = JSONObject()
        if config.provideClusterInfo, let cluster { spec.append("cluster", cluster) }
        spec.append("interactive", .bool(interactive))
        info.append("spec", .object(spec))
        var variables = environment
        for variable in config.env { variables[variable.name] = variable.value }
        variables["KUBERNETES_EXEC_INFO"] = JSONWriter.compact(.object(info)) + "\n"

        let result = try await Self.execute(executable, arguments: config.args, environment: variables, interactive: interactive)
        guard result.status == 0 else {
            // What the plugin said went to our standard error, as kubectl passes it on.
            throw KubeError.credentials("the exec credential plugin '\(name)' failed with exit status \(result.status)")
        }
        return try parse(result.output, plugin: name)
    }

    func parse(_ output: [UInt8], plugin name: String) throws -> Credential {
        let json: JSONValue
        do {
            json = try JSONReader().read(output)
        } catch {
            throw KubeError.credentials("the exec credential plugin '\(name)' printed something that is not an ExecCredential")
        }
        guard json["kind"]?.string == "ExecCredential" else {
            throw KubeError.credentials("the exec credential plugin '\(name)' printed something that is not an ExecCredential")
        }
        guard json["apiVersion"]?.string == config.apiVersion else {
            throw KubeError.credentials("the exec credential plugin '\(name)' answered with apiVersion "
                + "\(json["apiVersion"]?.string ?? "none"), not \(config.apiVersion) as the kubeconfig says")
        }
        guard let status = json["status"]?.object else {
            throw KubeError.credentials("the exec credential plugin '\(name)' printed an ExecCredential without a status")
        }
        let token = status["token"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        let certificate = status["clientCertificateData"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        let key = status["clientKeyData"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        guard (certificate == nil) == (key == nil) else {
            throw KubeError.credentials("the exec credential plugin '\(name)' gave a client certificate or key, not both")
        }
        let identity = certificate.flatMap { certificate in key.map { ClientIdentity(certificate: Array(certificate.utf8), key: Array($0.utf8)) } }
        guard token != nil || identity != nil else {
            throw KubeError.credentials("the exec credential plugin '\(name)' gave neither a token nor a client certificate")
        }
        var expiry: Date?
        if let stamp = status["expirationTimestamp"]?.string {
            guard let date = Timestamps.parse(stamp) else {
                throw KubeError.credentials("the exec credential plugin '\(name)' gave an expirationTimestamp that is not RFC 3339: \(stamp)")
            }
            expiry = date
        }
        return Credential(token: token, identity: identity, expiry: expiry)
    }

    /// A command with a slash is a path; a bare name is looked up on PATH.
    static func locate(_ command: String, path: String) -> String? {
        if command.contains("/") { return FileManager.default.isExecutableFile(atPath: command) ? command : nil }
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    struct Outcome {
        var status: Int32
        var output: [UInt8]
    }

    /// Runs the plugin off the cooperative pool: its output is read on a thread of its own.
    static func execute(_ executable: String, arguments: [String], environment: [String: String],
                        interactive: Bool) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                process.environment = environment
                let output = Pipe()
                process.standardOutput = output
                // Interactive plugins read our terminal; what any plugin says goes to our stderr.
                process.standardInput = interactive ? FileHandle.standardInput : FileHandle.nullDevice
                process.standardError = FileHandle.standardError
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: KubeError.credentials(
                        "the exec credential plugin '\(executable)' could not be started: \(error.localizedDescription)"))
                    return
                }
                let data = output.fileHandleForReading.readAllRetryingInterrupts()
                process.waitUntilExit()
                continuation.resume(returning: Outcome(status: process.terminationStatus, output: Array(data)))
            }
        }
    }
}
