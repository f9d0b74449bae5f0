import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// Binds the listening socket and sets up each connection's pipeline.
enum HTTPServerBootstrap {
    static func bind(group: MultiThreadedEventLoopGroup, host: String, port: Int, tls: NIOSSLContext?,
                     core: ServerCore, connections: ConnectionSet) async throws -> any Channel {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    // `pods/NAME/exec` and `pods/NAME/portforward` are WebSocket upgrades; everything else is plain HTTP.
                    let upgrade: NIOHTTPServerUpgradeConfiguration = ([WebSocketEndpoints.upgrader(core: core)], { _ in })
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withServerUpgrade: upgrade, withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(HTTPConnectionHandler(core: core, usesTLS: tls != nil),
                                                                   name: HTTPConnectionHandler.name)
                }
            }
        return try await bootstrap.bind(host: host, port: port).get()
    }
}

/// The open connections, so that shutting down closes keep-alive connections and watches too.
final class ConnectionSet: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        channels.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.channels.withLock { $0.removeValue(forKey: id) }
        }
    }

    func closeAll() async {
        let open = channels.withLock { Array($0.values) }
        for channel in open { try? await channel.close() }
    }
}
