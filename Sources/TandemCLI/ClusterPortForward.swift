import Foundation
import KubeClient
import Synchronization

/// `tandem port-forward` on a cluster: a listening socket on 127.0.0.1 per port; each connection
/// to it is one WebSocket to the pod's `portforward` (`v4.channel.k8s.io`): stream 0 carries the
/// data both ways, stream 1 the pod's errors, and the server's first message on each starts with
/// the port (two bytes).
struct ClusterPortForward {
    var connection: ClusterConnection
    var namespace: String
    var pod: String

    static let protocols = ["v4.channel.k8s.io", "portforward.k8s.io"]

    /// Listens on 127.0.0.1:`local` (0: a free port); the port it listens on.
    static func listen(_ local: Int) throws -> (socket: Int32, port: Int) {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw CLIFailure("cannot open a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(local).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Foundation.listen(listener, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(listener)
            throw CLIFailure("cannot listen on 127.0.0.1:\(local): \(reason)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        return (listener, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Accepts connections on `listener` for ever, forwarding each to `remote`.
    func serve(_ listener: Int32, remote: Int) async {
        let connections = AsyncStream<Int32> { continuation in
            Thread {
                while true {
                    let client = accept(listener, nil, nil)
                    if client < 0 { if errno == EINTR { continue }; break }
                    continuation.yield(client)
                }
                continuation.finish()
            }.start()
        }
        await withTaskGroup(of: Void.self) { group in
            for await client in connections {
                group.addTask { await self.forward(client, remote: remote) }
            }
        }
    }

    private func forward(_ client: Int32, remote: Int) async {
        let socket: ChannelWebSocket
        do {
            socket = try await ChannelWebSocket.open(connection, path: "/api/v1/namespaces/\(namespace)/pods/\(pod)/portforward",
                                                     query: [KubeRequest.QueryItem("ports", String(remote))], protocols: Self.protocols,
                                                     userAgent: "tandem/\(TandemCommand.version)")
        } catch {
            Output.standardError("tandem: port \(remote) of pod \(pod): \(CLIFailure.from(error))\n")
            close(client)
            return
        }
        // The reader owns the descriptor: it closes it once its read ends, which the shutdown
        // below makes happen when the pod's side is done (a close under a blocked read would not).
        let local = LocalConnection(client)
        Thread {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = read(client, &buffer, buffer.count)
                if count <= 0 { break }
                socket.send(stream: 0, Array(buffer[0..<count]))
            }
            local.close()
        }.start()
        var seenPrefix: Set<UInt8> = []
        for await message in socket.messages {
            guard let stream = message.first else { continue }
            var bytes = message.dropFirst()
            // The first message of each stream begins with the port.
            if seenPrefix.insert(stream).inserted { bytes = bytes.dropFirst(2) }
            guard !bytes.isEmpty else { continue }
            if stream == 0 {
                var offset = bytes.startIndex
                while offset < bytes.endIndex {
                    let written = bytes[offset...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                    if written <= 0 { break }
                    offset += written
                }
            } else if stream == 1 {
                Output.standardError("tandem: port \(remote) of pod \(pod): \(String(decoding: bytes, as: UTF8.self))\n")
            }
        }
        await socket.close()
        local.shutdown()
    }
}

/// A forwarded connection's descriptor, shut down by one side and closed by the other, never
/// touched once closed (its number may be another file's by then).
private final class LocalConnection: Sendable {
    private let descriptor: Int32
    private let closed = Mutex(false)

    init(_ descriptor: Int32) { self.descriptor = descriptor }

    func shutdown() {
        closed.withLock { closed in if !closed { _ = Foundation.shutdown(descriptor, Int32(SHUT_RDWR)) } }
    }

    func close() {
        closed.withLock { closed in
            if !closed { _ = Foundation.close(descriptor) }
            closed = true
        }
    }
}
