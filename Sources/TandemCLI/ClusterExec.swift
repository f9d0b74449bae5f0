import Foundation
import KubeClient
import TandemJSON

/// `tandem exec` on a cluster: the exec API over WebSocket (`v5.channel.k8s.io`, else
/// `v4.channel.k8s.io`). Stream 0 carries standard input, 1 and 2 the command's output, 3 the
/// final Status with its exit code, 4 the terminal's size; in v5, stream 255 says a stream closed.
struct ClusterExec {
    var connection: ClusterConnection
    var namespace: String
    var pod: String
    var container: String
    var command: [String]
    var stdin: Bool
    var tty: Bool

    static let protocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"]

    /// Runs the command; its exit code.
    func run() async throws -> Int32 {
        var query = command.map { KubeRequest.QueryItem("command", $0) }
        query += [KubeRequest.QueryItem("container", container), KubeRequest.QueryItem("stdout", "true")]
        // With a terminal the command's standard error is the terminal too, as kubectl asks for it.
        query.append(KubeRequest.QueryItem("stderr", tty ? "false" : "true"))
        if stdin { query.append(KubeRequest.QueryItem("stdin", "true")) }
        if tty { query.append(KubeRequest.QueryItem("tty", "true")) }
        let socket = try await ChannelWebSocket.open(connection, path: "/api/v1/namespaces/\(namespace)/pods/\(pod)/exec", query: query,
                                                     protocols: Self.protocols, userAgent: "tandem/\(TandemCommand.version)")
        let terminal = tty ? RawTerminal() : nil
        defer { terminal?.restore() }
        var resizes: (any DispatchSourceSignal)?
        if tty {
            Self.sendSize(socket)
            signal(SIGWINCH, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: SIGWINCH)
            source.setEventHandler { Self.sendSize(socket) }
            source.resume()
            resizes = source
        }
        if stdin { Self.forwardStandardInput(to: socket) }
        var status: JSONValue?
        for await message in socket.messages {
            guard let stream = message.first else { continue }
            let bytes = Array(message.dropFirst())
            switch stream {
            case 1: Output.standardOutput([bytes])
            case 2: Output.standardError(String(decoding: bytes, as: UTF8.self))
            case 3: status = try? JSONReader().read(bytes)
            default: break
            }
        }
        resizes?.cancel()
        await socket.close()
        terminal?.restore()
        guard let status else { throw CLIFailure("the connection to \(pod)/\(container) closed before the command ended") }
        return try Self.exitCode(status)
    }

    /// 0 for Success; the exit code of a NonZeroExitCode failure; any other failure is an error.
    static func exitCode(_ status: JSONValue) throws -> Int32 {
        if status["status"]?.string == "Success" { return 0 }
        if status["reason"]?.string == "NonZeroExitCode",
           let code = (status[path: ["details", "causes"]]?.array ?? []).first(where: { $0["reason"]?.string == "ExitCode" })?["message"]?.string
            .flatMap({ Int32($0) }) {
            return code
        }
        throw CLIFailure("the command could not run: \(status["message"]?.string ?? "the cluster gave no reason")")
    }

    /// Standard input, as it comes, on stream 0; its end on stream 255 (v5).
    static func forwardStandardInput(to socket: ChannelWebSocket) {
        Thread {
            while true {
                let chunk = FileHandle.standardInput.availableData
                if chunk.isEmpty { break }
                socket.send(stream: 0, Array(chunk))
            }
            if socket.subprotocol == protocols[0] { socket.send(stream: 255, [0]) }
        }.start()
    }

    /// The terminal's size on stream 4, as `{"Width":80,"Height":24}`.
    static func sendSize(_ socket: ChannelWebSocket) {
        var size = winsize()
        guard ioctl(STDIN_FILENO, UInt(TIOCGWINSZ), &size) == 0 || ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 else { return }
        socket.send(stream: 4, Array(#"{"Width":\#(size.ws_col),"Height":\#(size.ws_row)}"#.utf8))
    }
}

/// The terminal of standard input in raw mode (keys go to the remote command as typed), until restored.
final class RawTerminal: @unchecked Sendable {
    private var saved = termios()
    private var active = false

    init() {
        guard isatty(STDIN_FILENO) == 1, tcgetattr(STDIN_FILENO, &saved) == 0 else { return }
        var raw = saved
        cfmakeraw(&raw)
        active = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0
    }

    func restore() {
        guard active else { return }
        tcsetattr(STDIN_FILENO, TCSANOW, &saved)
        active = false
    }
}
