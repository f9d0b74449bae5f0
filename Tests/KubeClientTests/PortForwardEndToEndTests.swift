import Foundation
import KubeTestServer
import TandemTestSupport
import Testing

/// `tandem port-forward` against the API test server's `pods/NAME/portforward` (WebSocket), the
/// pod's port leading to a real TCP server: the test server's own HTTP port.
@Suite struct PortForwardEndToEndTests {
    /// Sends `request` to 127.0.0.1:`port` and reads the answer to its end.
    static func exchange(port: Int, _ request: String) throws -> String {
        let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestSupportError("cannot connect to 127.0.0.1:\(port)") }
        _ = Array(request.utf8).withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(client, &buffer, buffer.count)
            if count <= 0 { break }
            answer += buffer[0..<count]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    @Test func connectionsToTheLocalPortReachThePodsPort() async throws {
        let server = try await KubeTestServer.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-forward-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        let serverPort = server.port
        server.handlePortForward { _, pod, port in pod.hasPrefix("web-") && port == 8080 ? serverPort : nil }
        let file = directory.appendingPathComponent("shop.yaml").path
        try StatusViewsEndToEndTests.shop.write(toFile: file, atomically: true, encoding: .utf8)
        let up = try await offCooperativePool {
            try Tandem.run(["up", file, "--no-wait", "--kubeconfig", kubeconfig], environment: ["NO_COLOR": "1", "HOME": directory.path])
        }
        try #require(up.status == 0, "\(up.output)")
        let ready = try await offCooperativePool {
            try Kubectl.run(["--kubeconfig", kubeconfig, "wait", "--for=condition=Ready", "pod", "-l", "app.oam.dev/name=shop", "--timeout=30s"])
        }
        try #require(ready.status == 0, "\(ready.output)")

        let forward = try RunningProcess([Tandem.executable.path, "port-forward", "shop", "--component", "web", "0:8080", "0:9999",
                                          "--kubeconfig", kubeconfig], environment: ["NO_COLOR": "1", "HOME": directory.path])
        #expect(await forward.awaitOutput { $0.components(separatedBy: "Forwarding from").count == 3 }, "\(forward.output)\(forward.errors)")
        let ports = forward.output.split(separator: "\n").compactMap { line in
            line.split(separator: ":").dropFirst().first.flatMap { Int($0.split(separator: " ").first ?? "") }
        }
        try #require(ports.count == 2, "\(forward.output)")
        // Twice, on two connections: each is a WebSocket of its own.
        for _ in 0..<2 {
            let answer = try await offCooperativePool { try Self.exchange(port: ports[0], "GET /version HTTP/1.0\r\nHost: pod\r\n\r\n") }
            #expect(answer.hasPrefix("HTTP/1.0 200") || answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
            #expect(answer.contains("\"gitVersion\""), "\(answer)")
        }
        let nothing = try await offCooperativePool { try Self.exchange(port: ports[1], "hello") }
        #expect(nothing.isEmpty)
        #expect(await forward.awaitErrors { $0.contains("nothing listens on port 9999") }, "\(forward.errors)")
        await forward.stop()
        try? await server.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}
