import ArgumentParser
import TandemLocal

/// One forwarded connection of `port-forward --local`, run inside the pod's network by
/// `tandem port-forward` (not for people): standard input and output to `HOST:PORT`.
struct LocalConnectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: LocalPortForward.connectCommand, shouldDisplay: false)

    @Option var host: String
    @Option var port: Int

    func run() throws {
        do {
            try LocalPortForward.relay(host: host, port: port)
        } catch {
            throw CLIFailure("\(error)")
        }
    }
}
