import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// `/healthz`, `/readyz` and `/metrics` over HTTP: what the kubelet's probes and Prometheus ask.
public final class HealthEndpoints: Sendable {
    public let port: Int
    private let channel: any Channel

    /// Starts serving on `port` (0: any free port) on all addresses.
    public static func start(port: Int, host: String = "0.0.0.0", isReady: @escaping @Sendable () -> Bool,
                             metrics: @escaping @Sendable () -> [UInt8]) async throws -> HealthEndpoints {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(EndpointHandler(isReady: isReady, metrics: metrics))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        return HealthEndpoints(channel: channel, port: channel.localAddress?.port ?? port)
    }

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    public func close() async {
        try? await channel.close()
    }
}

private final class EndpointHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let isReady: @Sendable () -> Bool
    let metrics: @Sendable () -> [UInt8]
    private var path = ""
    private var keepAlive = false

    init(isReady: @escaping @Sendable () -> Bool, metrics: @escaping @Sendable () -> [UInt8]) {
        self.isReady = isReady
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            path = String(head.uri.prefix { $0 != "?" })
            keepAlive = head.isKeepAlive
        case .body:
            break
        case .end:
            let (status, type, body): (HTTPResponseStatus, String, [UInt8])
            switch path {
            case "/healthz", "/livez": (status, type, body) = (.ok, "text/plain", Array("ok\n".utf8))
            case "/readyz":
                (status, type, body) = isReady() ? (.ok, "text/plain", Array("ok\n".utf8))
                    : (.serviceUnavailable, "text/plain", Array("not ready: the watch caches are not filled yet\n".utf8))
            case "/metrics": (status, type, body) = (.ok, "text/plain; version=0.0.4; charset=utf-8", metrics())
            default: (status, type, body) = (.notFound, "text/plain", Array("not found\n".utf8))
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: type)
            headers.add(name: "Content-Length", value: String(body.count))
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            let keepAlive = self.keepAlive
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }
}
