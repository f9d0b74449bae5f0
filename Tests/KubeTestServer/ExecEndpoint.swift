import Foundation
import NIOCore
import NIOHTTP1
import NIOWebSocket
import Synchronization
import TandemJSON

/// A command run through `pods/NAME/exec`, as the test's handler sees it.
public struct ExecCall: Sendable {
    public var namespace: String
    public var pod: String
    public var container: String
    public var command: [String]
    public var tty: Bool
    /// What the client sent on standard input, up to its close (empty without `stdin=true`).
    public var stdin: [UInt8]
}

/// What a command run through `pods/NAME/exec` printed, and its exit code.
public struct ExecResult: Sendable {
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    public var exitCode: Int

    public init(stdout: String = "", stderr: String = "", exitCode: Int = 0) {
        self.stdout = Array(stdout.utf8)
        self.stderr = Array(stderr.utf8)
        self.exitCode = exitCode
    }
}

/// The handler the test registers; the default one knows no command.
final class ExecCommands: Sendable {
    private let handler = Mutex<(@Sendable (ExecCall) -> ExecResult)?>(nil)

    func set(_ handler: @escaping @Sendable (ExecCall) -> ExecResult) { self.handler.withLock { $0 = handler } }

    func run(_ call: ExecCall) -> ExecResult {
        guard let handler = handler.withLock({ $0 }) else {
            return ExecResult(stderr: "exec: \"\(call.command.first ?? "")\": executable file not found in $PATH\n", exitCode: 127)
        }
        return handler(call)
    }
}

/// `pods/NAME/exec` over WebSocket, as the API server serves it: the subprotocols
/// `v5.channel.k8s.io` (with the close channel 255) and `v4.channel.k8s.io`; each message's first
/// byte names its stream (0 stdin, 1 stdout, 2 stderr, 3 the final Status, 4 terminal resize).
enum ExecEndpoint {
    static let protocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"]

    /// The pod's namespace and name when `uri` is an exec request.
    static func target(_ uri: String) -> (namespace: String, pod: String)? {
        let path = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count == 7, parts[0] == "api", parts[1] == "v1", parts[2] == "namespaces", parts[4] == "pods",
              parts[6] == "exec" else { return nil }
        return (parts[3], parts[5])
    }

    /// The handler of an upgraded exec connection.
    static func session(_ head: HTTPRequestHead, offered: [String], commands: ExecCommands) -> ExecSession {
        let (namespace, pod) = target(head.uri) ?? ("", "")
        let query = APIRequest.split(uri: head.uri).query
        func flag(_ name: String) -> Bool { query.contains { $0.name == name && ["1", "true"].contains($0.value) } }
        let call = ExecCall(namespace: namespace, pod: pod, container: query.first { $0.name == "container" }?.value ?? "",
                            command: query.filter { $0.name == "command" }.map(\.value), tty: flag("tty"), stdin: [])
        return ExecSession(call: call, readsStdin: flag("stdin"), version5: offered.contains(protocols[0]), commands: commands)
    }
}

/// One exec: collects standard input until the client closes it, runs the test's handler, sends
/// its output and the Status, and closes. With a terminal and standard input (`-it`), it plays
/// the shell the command started, as a container's terminal shows it: what is typed is echoed,
/// each line is run by the test's handler (its words the command) with its output on stream 1
/// (a terminal has no stream 2) in the terminal's line endings, and `exit [N]` ends the session
/// with N.
final class ExecSession: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private var call: ExecCall
    private let readsStdin: Bool
    private let version5: Bool
    private let commands: ExecCommands
    private var done = false

    init(call: ExecCall, readsStdin: Bool, version5: Bool, commands: ExecCommands) {
        self.call = call
        self.readsStdin = readsStdin
        self.version5 = version5
        self.commands = commands
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if !readsStdin { return finish(context: context) }
        if call.tty { prompt(context: context) }
    }

    /// The shell's prompt, which a terminal session shows when it is ready for a line.
    private func prompt(context: ChannelHandlerContext) {
        send(1, Self.prompt, context: context)
        context.flush()
    }

    static let prompt = Array("$ ".utf8)

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .connectionClose:
            if !done, readsStdin { finish(context: context) }
        case .binary, .text, .continuation:
            let bytes = Array(frame.unmaskedData.readableBytesView)
            guard let stream = bytes.first else { return }
            if stream == 0, call.tty, readsStdin, !done { return typed(bytes.dropFirst(), context: context) }
            if stream == 0 { call.stdin += bytes.dropFirst() }
            // v5: the client closed a stream; standard input's close means the command may run.
            if stream == 255, bytes.dropFirst().first == 0, readsStdin, !done { finish(context: context) }
        default:
            break
        }
    }

    /// The line typed so far in a terminal session.
    private var line: [UInt8] = []

    /// Keys typed in a terminal session: echoed; a line ended by Enter (CR in raw mode) is run.
    private func typed(_ bytes: ArraySlice<UInt8>, context: ChannelHandlerContext) {
        for byte in bytes where !done {
            guard byte == 0x0D || byte == 0x0A else {
                line.append(byte)
                send(1, [byte], context: context)
                continue
            }
            send(1, Array("\r\n".utf8), context: context)
            let words = String(decoding: line, as: UTF8.self).split(separator: " ").map(String.init)
            line = []
            if words.first == "exit" { return finish(context: context, result: ExecResult(exitCode: words.dropFirst().first.flatMap { Int($0) } ?? 0)) }
            guard !words.isEmpty else {
                send(1, Self.prompt, context: context)
                continue
            }
            var command = call
            command.command = words
            let result = commands.run(command)
            let output = String(decoding: result.stdout + result.stderr, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n")
            send(1, Array(output.utf8), context: context)
            send(1, Self.prompt, context: context)
        }
        context.flush()
    }

    private func send(_ stream: UInt8, _ bytes: [UInt8], context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: bytes.count + 1)
        buffer.writeInteger(stream)
        buffer.writeBytes(bytes)
        context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .binary, data: buffer)), promise: nil)
    }

    private func finish(context: ChannelHandlerContext, result: ExecResult? = nil) {
        done = true
        let result = result ?? commands.run(call)
        func send(_ stream: UInt8, _ bytes: [UInt8]) { self.send(stream, bytes, context: context) }
        if !result.stdout.isEmpty { send(1, result.stdout) }
        if !result.stderr.isEmpty { send(2, result.stderr) }
        send(3, JSONWriter.compactBytes(Self.status(result.exitCode, command: call.command)))
        var close = context.channel.allocator.buffer(capacity: 2)
        close.write(webSocketErrorCode: .normalClosure)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: close))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// The Status the API server sends on stream 3: Success, or a NonZeroExitCode failure whose
    /// cause carries the exit code (kubectl exits with it).
    static func status(_ exitCode: Int, command: [String]) -> JSONValue {
        guard exitCode != 0 else { return ["metadata": [:], "status": "Success"] }
        return [
            "metadata": [:], "status": "Failure",
            "message": .string("command terminated with non-zero exit code: error executing command [\(command.joined(separator: " "))], exit code \(exitCode)"),
            "reason": "NonZeroExitCode",
            "details": ["causes": [["reason": "ExitCode", "message": .string(String(exitCode))]]],
        ]
    }
}
