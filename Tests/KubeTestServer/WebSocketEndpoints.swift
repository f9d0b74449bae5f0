import Foundation
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// The WebSocket upgrades the server answers: `pods/NAME/exec` and `pods/NAME/portforward`, each
/// with the subprotocols it speaks, for an authenticated user (by token; anonymous when allowed).
enum WebSocketEndpoints {
    static func upgrader(core: ServerCore) -> NIOWebSocketServerUpgrader {
        NIOWebSocketServerUpgrader(maxFrameSize: 1 << 20, automaticErrorHandling: true, shouldUpgrade: { channel, head in
            let offered = self.offered(head)
            let protocols = ExecEndpoint.target(head.uri) != nil ? ExecEndpoint.protocols
                : PortForwardEndpoint.target(head.uri) != nil ? PortForwardEndpoint.protocols : []
            guard let chosen = protocols.first(where: offered.contains),
                  core.authenticator.user(authorization: head.headers.first(name: "Authorization"), certificateCommonName: nil) != nil
            else { return channel.eventLoop.makeSucceededFuture(nil) }
            return channel.eventLoop.makeSucceededFuture(HTTPHeaders([("Sec-WebSocket-Protocol", chosen)]))
        }, upgradePipelineHandler: { channel, head in
            channel.pipeline.removeHandler(name: HTTPConnectionHandler.name).flatMap {
                if ExecEndpoint.target(head.uri) != nil {
                    return channel.pipeline.addHandler(ExecEndpoint.session(head, offered: offered(head), commands: core.exec))
                }
                return channel.pipeline.addHandler(PortForwardEndpoint.session(head, targets: core.portForwards))
            }
        })
    }

    static func offered(_ head: HTTPRequestHead) -> [String] {
        head.headers["Sec-WebSocket-Protocol"].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
