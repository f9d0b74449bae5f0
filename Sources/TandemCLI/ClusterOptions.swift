import ArgumentParser
import Foundation
import KubeClient
import KubeModel

/// How to reach the cluster, as kubectl's flags say it.
struct ClusterOptions: ParsableArguments {
    @Option(name: .customLong("kubeconfig"), help: ArgumentHelp("The kubeconfig file to use (instead of KUBECONFIG or ~/.kube/config).",
                                                               valueName: "file"))
    var kubeconfig: String?

    @Option(name: .customLong("context"), help: ArgumentHelp("The kubeconfig context to use (default: its current-context).", valueName: "name"))
    var context: String?

    @Option(name: .customLong("request-timeout"), help: ArgumentHelp("How long one request may take, like 30s or 1m.", valueName: "duration"))
    var requestTimeout: TimeSpan = TimeSpan(.seconds(60))

    @Flag(name: [.short, .long], help: "Print every request to the cluster on stderr: method, path, status, time.")
    var verbose = false

    @Sendable static func logRequest(_ request: KubeRequest, _ status: Int, _ time: Duration) {
        let answer = status == 0 ? "no answer" : String(status)
        let milliseconds = Int((time.seconds * 1000).rounded())
        Output.standardError("tandem: \(request) \(answer) \(milliseconds) ms\n")
    }

    /// The connection and a client for it; a configuration problem is one line and exit 2.
    func connect() throws -> (ClusterConnection, KubeClient) {
        do {
            let connection = try ClusterConnection.resolve(kubeconfig: kubeconfig, context: context)
            let observer: (@Sendable (KubeRequest, Int, Duration) -> Void)? = verbose ? Self.logRequest : nil
            let client = try KubeClient(connection, requestTimeout: requestTimeout.duration, userAgent: "tandem/\(TandemCommand.version)",
                                        observer: observer)
            return (connection, client)
        } catch let error as KubeError {
            throw CLIFailure(ConnectionAdvice.message(error))
        }
    }
}

/// Talking to the cluster from a command: the client, the cluster's version, and errors as the
/// user reads them.
struct ClusterSession {
    var connection: ClusterConnection
    var client: KubeClient

    static func open(_ options: ClusterOptions) throws -> ClusterSession {
        let (connection, client) = try options.connect()
        return ClusterSession(connection: connection, client: client)
    }

    /// The cluster's minor version, which is also the first request: an unreachable server
    /// ends the command here.
    func kubeVersion() async throws -> (version: KubeVersion, text: String) {
        let version = try await client.version()
        guard let kubeVersion = version.kubeVersion else {
            throw CLIFailure("the cluster at \(client.server) reports a version tandem cannot read: \(version)")
        }
        return (kubeVersion, version.description)
    }

    func close() async {
        await client.shutdown()
    }
}

/// A duration written as Go and kubectl write them: `90s`, `5m`, `1h30m`, `500ms`, or seconds.
struct TimeSpan: ExpressibleByArgument, CustomStringConvertible {
    var duration: Duration

    init(_ duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        if let seconds = Double(argument), seconds >= 0 {
            duration = .milliseconds(Int(seconds * 1000))
            return
        }
        var total = 0.0
        var number = ""
        var rest = Substring(argument)
        guard !rest.isEmpty else { return nil }
        while let character = rest.first {
            if character.isNumber || character == "." {
                number.append(character)
                rest = rest.dropFirst()
                continue
            }
            guard let value = Double(number) else { return nil }
            let unit: Double
            if rest.hasPrefix("ms") { unit = 0.001; rest = rest.dropFirst(2) }
            else if rest.hasPrefix("h") { unit = 3600; rest = rest.dropFirst() }
            else if rest.hasPrefix("m") { unit = 60; rest = rest.dropFirst() }
            else if rest.hasPrefix("s") { unit = 1; rest = rest.dropFirst() }
            else { return nil }
            total += value * unit
            number = ""
        }
        guard number.isEmpty else { return nil }
        duration = .milliseconds(Int(total * 1000))
    }

    var description: String {
        let seconds = Int(duration.seconds.rounded())
        if seconds % 3600 == 0, seconds > 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0, seconds > 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    static var defaultValueDescription: String { "5m" }
}
