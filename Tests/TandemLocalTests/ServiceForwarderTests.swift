import Foundation
@testable import TandemLocal
import Testing

/// The Service forwarder on loopback, without podman: each connection goes to the next pod of
/// the endpoints file in turn, past one that refuses it, and with no endpoint it is closed.
@Suite struct ServiceForwarderTests {
    /// A server on loopback that answers every connection with `answer`, then closes it.
    final class Backend: @unchecked Sendable {
        let listener: Int32
        let port: Int

        init(answer: String) throws {
            port = try ServiceForwarderTests.freePort()
            listener = try ServiceForwarder.listen(port)
            let fd = listener
            Thread.detachNewThread {
                while true {
                    let client = accept(fd, nil, nil)
                    guard client >= 0 else { return }
                    _ = Array(answer.utf8).withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                    close(client)
                }
            }
        }

        deinit { close(listener) }
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let found = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(found)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// What a client connecting to `port` on loopback reads until the connection closes.
    static func answer(_ port: Int) throws -> String {
        let fd = ServiceForwarder.connect("127.0.0.1", port)
        try #require(fd >= 0, "the forwarder listens on \(port)")
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += buffer.prefix(count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func eachConnectionGoesToTheNextReadyPodAndNoneWhenThereIsNone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-forwarder-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = StateDirectory(path: folder.path)
        let first = try Backend(answer: "first"), second = try Backend(answer: "second")
        let refused = try Self.freePort()
        let port = try Self.freePort()
        func endpoints(_ addresses: [String]) throws {
            let list = addresses.map { "\"\($0)\"" }.joined(separator: ",")
            try StateDirectory.writeAtomically(Data("{\"api\": {\"\(port)/tcp\": [\(list)]}}".utf8), to: state.endpointsFile)
        }
        try endpoints(["127.0.0.1:\(first.port)", "127.0.0.1:\(refused)", "127.0.0.1:\(second.port)"])
        let listeners = try ServiceForwarder(state: state, service: "api", supervisor: getpid()).start(ports: [port])
        defer { listeners.forEach { close($0) } }

        // In turn: the second turn's pod refuses, so the next one answers it.
        let answers = try (0..<4).map { _ in try Self.answer(port) }
        #expect(answers == ["first", "second", "second", "first"])
        try endpoints([])
        #expect(try Self.answer(port) == "", "no ready pod: the connection is closed")
        try endpoints(["127.0.0.1:\(second.port)"])
        #expect(try Self.answer(port) == "second", "the endpoints are read again at each connection")
    }
}
