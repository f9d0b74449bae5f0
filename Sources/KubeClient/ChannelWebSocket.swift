import Crypto
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOWebSocket
import Synchronization
import TandemJSON

/// A WebSocket to one of the API server's streaming subresources (`pods/NAME/exec`,
/// `pods/NAME/portforward`), speaking the channel protocols (`v5.channel.k8s.io`, ...): every
/// binary message is one stream's bytes after a first byte that names the stream. With the
/// kubeconfig's TLS settings and credentials, as `HTTPTransport` uses them.
public final class ChannelWebSocket: Sendable {
    /// The subprotocol the server chose.
    public let subprotocol: String
    /// Every binary message, until the server closes the connection.
    public let messages: AsyncStream<[UInt8]>
    private let channel: any Channel
    private let group: MultiThreadedEventLoopGroup

    private init(subprotocol: String, messages: AsyncStream<[UInt8]>, channel: any Channel, group: MultiThreadedEventLoopGroup) {
        self.subprotocol = subprotocol
        self.messages = messages
        self.channel = channel
        self.group = group
    }

    /// Opens `path?query` with the `protocols` offered in order of preference.
    public static func open(_ connection: ClusterConnection, path: String, query: [KubeRequest.QueryItem], protocols: [String],
                            userAgent: String = "tandem") async throws -> ChannelWebSocket {
        guard let url = URL(string: connection.server), let scheme = url.scheme, let host = url.host else {
            throw KubeError.configuration("the server is not a URL: \(connection.server)")
        }
        let secure = scheme == "https"
        let port = url.port ?? (secure ? 443 : 80)
        // As HTTPTransport: no credential travels over plain HTTP.
        let credential = secure ? try await CredentialStore(connection.credentials).current() : Credential()
        let tls = secure ? try NIOSSLContext(configuration: connection.tls.configuration(identity: credential.identity)) : nil
        let serverName = connection.tls.serverName ?? host
        let target = KubeRequest(.get, (url.path == "/" ? "" : url.path) + path, query: query).target

        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        var request = "GET \(target) HTTP/1.1\r\nHost: \(url.port.map { "\(host):\($0)" } ?? host)\r\n"
        request += "User-Agent: \(userAgent)\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        request += "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Protocol: \(protocols.joined(separator: ", "))\r\n"
        if let authorization = credential.authorization { request += "Authorization: \(authorization)\r\n" }
        request += "\r\n"

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let (messages, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        let upgraded = group.next().makePromise(of: String.self)
        let bootstrap = ClientBootstrap(group: group).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tls {
                    let isAddress = serverName.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: isAddress ? nil : serverName))
                }
                try channel.pipeline.syncOperations.addHandler(UpgradeReader(key: key, upgraded: upgraded, continuation: continuation))
            }
        }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            try await channel.writeAndFlush(channel.allocator.buffer(string: request)).get()
            let subprotocol = try await upgraded.futureResult.get()
            return ChannelWebSocket(subprotocol: subprotocol, messages: messages, channel: channel, group: group)
        } catch let error as KubeError {
            upgraded.futureResult.eventLoop.execute { upgraded.fail(error) }
            try? await group.shutdownGracefully()
            throw error
        } catch {
            upgraded.futureResult.eventLoop.execute { upgraded.fail(error) }
            try? await group.shutdownGracefully()
            throw KubeError.unreachable(server: connection.server, reason: String(describing: error))
        }
    }

    /// Sends one binary message: `stream` and its bytes.
    public func send(stream: UInt8, _ bytes: [UInt8]) {
        let channel = self.channel
        var buffer = channel.allocator.buffer(capacity: bytes.count + 1)
        buffer.writeInteger(stream)
        buffer.writeBytes(bytes)
        let frame = WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: buffer)
        channel.writeAndFlush(frame, promise: nil)
    }

    /// Closes the connection and its thread.
    public func close() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// Hands each whole binary message on; answers pings and the server's close.
private final class MessageReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame
    private let continuation: AsyncStream<[UInt8]>.Continuation

    init(_ continuation: AsyncStream<[UInt8]>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary, .text:
            continuation.yield(Array(frame.unmaskedData.readableBytesView))
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)),
                                  promise: nil)
        case .connectionClose:
            continuation.finish()
            context.close(promise: nil)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish()
        context.close(promise: nil)
    }
}

/// Reads the server's answer to the upgrade request byte by byte as they come: a `101` whose
/// `Sec-WebSocket-Accept` matches the key turns the connection into WebSocket frames (the bytes
/// after the answer, a quick command's whole output, are the first frames); any other answer's
/// Status becomes the error.
private final class UpgradeReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private let key: String
    private let upgraded: EventLoopPromise<String>
    private let continuation: AsyncStream<[UInt8]>.Continuation
    private var received: [UInt8] = []
    private var refusal: (status: Int, length: Int?, headerEnd: Int)?

    init(key: String, upgraded: EventLoopPromise<String>, continuation: AsyncStream<[UInt8]>.Continuation) {
        self.key = key
        self.upgraded = upgraded
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received += unwrapInboundIn(data).readableBytesView
        if let refusal {
            return finishRefusal(context: context, refusal)
        }
        guard let end = Self.headerEnd(received) else {
            if received.count > 1 << 16 { fail(context: context, "the server's answer has no end") }
            return
        }
        let lines = String(decoding: received[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard status == 101 else {
            let refusal = (status, headers["content-length"].flatMap { Int($0) }, end + 4)
            self.refusal = refusal
            return finishRefusal(context: context, refusal)
        }
        let expected = Data(Insecure.SHA1.hash(data: Data((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))).base64EncodedString()
        guard headers["sec-websocket-accept"] == expected else { return fail(context: context, "the server's WebSocket answer does not match the request") }
        let rest = Array(received[(end + 4)...])
        received = []
        do {
            let pipeline = context.pipeline.syncOperations
            try pipeline.addHandler(WebSocketFrameEncoder(), position: .after(self))
            let decoder = ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20))
            try pipeline.addHandler(decoder, position: .after(self))
            let aggregator = NIOWebSocketFrameAggregator(minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1 << 16,
                                                         maxAccumulatedFrameSize: 1 << 24)
            try pipeline.addHandler(aggregator, position: .after(decoder))
            try pipeline.addHandler(MessageReader(continuation), position: .after(aggregator))
        } catch {
            return fail(context: context, "cannot read the WebSocket: \(error)")
        }
        upgraded.succeed(headers["sec-websocket-protocol"] ?? "")
        if !rest.isEmpty { context.fireChannelRead(wrapInboundOut(context.channel.allocator.buffer(bytes: rest))) }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// The refusal's Status, once its body (as long as Content-Length says, or up to the close) is there.
    private func finishRefusal(context: ChannelHandlerContext, _ refusal: (status: Int, length: Int?, headerEnd: Int)) {
        let body = Array(received[refusal.headerEnd...])
        if let length = refusal.length, body.count < length { return }
        if refusal.length == nil, context.channel.isActive { return }
        let parsed = (try? JSONReader().read(body)).flatMap { APIStatus(json: $0, httpStatus: refusal.status) }
        let status = parsed ?? APIStatus(code: refusal.status, reason: "Unknown",
                                         message: "the server did not switch to WebSocket (HTTP \(refusal.status)): "
                                             + String(decoding: body.prefix(200), as: UTF8.self))
        upgraded.fail(KubeError.api(request: "GET (WebSocket)", status: status))
        context.close(promise: nil)
    }

    private func fail(context: ChannelHandlerContext, _ reason: String) {
        upgraded.fail(KubeError.connectionLost(server: "", reason: reason))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let refusal { finishRefusal(context: context, refusal) }
        upgraded.fail(KubeError.connectionLost(server: "", reason: "the connection closed before the WebSocket opened"))
        continuation.finish()
        context.fireChannelInactive()
    }

    /// Where the header block ends (`\r\n\r\n`).
    static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
