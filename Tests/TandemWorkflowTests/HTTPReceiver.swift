import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A local HTTP server that records what it is sent and answers with a status and body the
/// test chooses: the far end of notification, webhook and request steps.
final class HTTPReceiver: Sendable {
    struct Received: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
    }

    /// What was received and what to answer, shared with the connections' handlers.
    final class Log: Sendable {
        let state = Mutex<(received: [Received], status: Int, body: String)>(([], 200, "{}"))
    }

    let port: Int
    private let log: Log
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    var url: String { "http://127.0.0.1:\(port)" }
    var received: [Received] { log.state.withLock { $0.received } }

    func answer(status: Int, body: String = "{}") {
        log.state.withLock {
            $0.status = status
            $0.body = body
        }
    }

    static func start() async throws -> HTTPReceiver {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = Log()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return HTTPReceiver(port: channel.localAddress?.port ?? 0, log: log, group: group, channel: channel)
    }

    private init(port: Int, log: Log, group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.port = port
        self.log = log
        self.group = group
        self.channel = channel
    }

    func shutdown() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }

    /// A port nothing listens on: bound, then closed.
    static func unusedPort() async throws -> Int {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 1
        try await channel.close()
        try await group.shutdownGracefully()
        return port
    }

    /// Reads one request at a time and answers it.
    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let log: Log
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(log: Log) { self.log = log }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(var buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                guard let head else { return }
                var headers: [String: String] = [:]
                for header in head.headers { headers[header.name.lowercased()] = header.value }
                let received = Received(method: head.method.rawValue, path: head.uri, headers: headers, body: String(decoding: body, as: UTF8.self))
                let answer = log.state.withLock { state in
                    state.received.append(received)
                    return (state.status, state.body)
                }
                var responseHeaders = HTTPHeaders()
                responseHeaders.add(name: "Content-Type", value: "application/json")
                responseHeaders.add(name: "Content-Length", value: "\(answer.1.utf8.count)")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: answer.0),
                                                                     headers: responseHeaders))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: answer.1)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                self.head = nil
            }
        }
    }
}
