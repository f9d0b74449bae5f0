import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization

/// Where the test says a pod's port leads (no container listens here): a TCP address on loopback.
final class PortForwardTargets: Sendable {
    private let handler = Mutex<(@Sendable (_ namespace: String, _ pod: String, _ port: Int) -> Int?)?>(nil)

    func set(_ handler: @escaping @Sendable (String, String, Int) -> Int?) { self.handler.withLock { $0 = handler } }

    func port(namespace: String, pod: String, port: Int) -> Int? { handler.withLock { $0 }?(namespace, pod, port) }
}

/// `pods/NAME/portforward` over WebSocket (`v4.channel.k8s.io`, `portforward.k8s.io`), as the API
/// server serves it to WebSocket clients: for the port of the `ports` query, stream 0 carries
/// data and stream 1 errors, and the server's first message on each starts with the port
/// (two bytes, little-endian). One connection forwards one TCP connection.
enum PortForwardEndpoint {
    static let protocols = ["v4.channel.k8s.io", "portforward.k8s.io"]

    static func target(_ uri: String) -> (namespace: String, pod: String)? {
        let path = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count == 7, parts[0] == "api", parts[1] == "v1", parts[2] == "namespaces", parts[4] == "pods",
              parts[6] == "portforward" else { return nil }
        return (parts[3], parts[5])
    }

    /// The handler of an upgraded port-forward connection.
    static func session(_ head: HTTPRequestHead, targets: PortForwardTargets) -> PortForwardSession {
        let (namespace, pod) = target(head.uri) ?? ("", "")
        let port = APIRequest.split(uri: head.uri).query.first { $0.name == "ports" }.flatMap { Int($0.value) } ?? 0
        return PortForwardSession(port: port, target: targets.port(namespace: namespace, pod: pod, port: port))
    }
}

/// One forwarded connection: WebSocket stream 0 to and from the target's TCP connection.
final class PortForwardSession: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let port: Int
    private let target: Int?
    private var outbound: (any Channel)?
    private var pending: [ByteBuffer] = []

    init(port: Int, target: Int?) {
        self.port = port
        self.target = target
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let prefix: [UInt8] = [UInt8(port & 0xFF), UInt8(port >> 8)]
        send(context.channel, stream: 0, prefix)
        send(context.channel, stream: 1, prefix)
        guard let target else {
            send(context.channel, stream: 1, Array("nothing listens on port \(port) in the pod".utf8))
            context.close(promise: nil)
            return
        }
        let socket = context.channel
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        ClientBootstrap(group: context.eventLoop).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(BackToSocket(socket: socket)) }
        }.connect(host: "127.0.0.1", port: target).hop(to: context.eventLoop).whenComplete { result in
            let session = loopBound.value
            switch result {
            case .success(let channel):
                session.outbound = channel
                for buffer in session.pending { channel.write(buffer, promise: nil) }
                session.pending = []
                channel.flush()
            case .failure(let error):
                session.send(socket, stream: 1, Array("cannot connect to port \(session.port): \(error)".utf8))
                socket.close(promise: nil)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .binary:
            var bytes = frame.unmaskedData
            guard let stream: UInt8 = bytes.readInteger(), stream == 0, bytes.readableBytes > 0 else { return }
            if let outbound { outbound.writeAndFlush(bytes, promise: nil) } else { pending.append(bytes) }
        case .connectionClose:
            outbound?.close(promise: nil)
            context.close(promise: nil)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        outbound?.close(promise: nil)
        context.fireChannelInactive()
    }

    fileprivate func send(_ channel: any Channel, stream: UInt8, _ bytes: [UInt8]) {
        var buffer = channel.allocator.buffer(capacity: bytes.count + 1)
        buffer.writeInteger(stream)
        buffer.writeBytes(bytes)
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .binary, data: buffer), promise: nil)
    }
}

/// What the target answers goes back on stream 0; its close closes the WebSocket.
private final class BackToSocket: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let socket: any Channel

    init(socket: any Channel) { self.socket = socket }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        var buffer = socket.allocator.buffer(capacity: bytes.readableBytes + 1)
        buffer.writeInteger(UInt8(0))
        buffer.writeImmutableBuffer(bytes)
        socket.writeAndFlush(WebSocketFrame(fin: true, opcode: .binary, data: buffer), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        var close = socket.allocator.buffer(capacity: 2)
        close.write(webSocketErrorCode: .normalClosure)
        let socket = self.socket
        socket.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: close)).whenComplete { _ in socket.close(promise: nil) }
        context.fireChannelInactive()
    }
}
