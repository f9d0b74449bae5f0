import Foundation
import TandemTestSupport
import Testing

/// `port-forward --local` on the real podman: a request to 127.0.0.1 reaches the component's
/// container on the application's podman network, with no port published.
@Suite(.serialized, .enabled(if: LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason))
struct LocalPortForwardTests {
    typealias Harness = LocalRuntimeHarness

    @Test func aRequestThroughTheForwardReachesTheComponentsContainer() async throws {
        let harness = try Harness("d2-fwd")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("d2-fwd", """
                - name: worker
                  type: worker
                  properties: {image: busybox:1.36, cmd: ["sleep", "3600"]}
                - name: web
                  type: webservice
                  properties:
                    image: busybox:1.36
                    cmd: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && httpd -f -p 80 -h /www"]
                    ports: [{port: 8080, containerPort: 80}]
            """))
        let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")

        let forward = try RunningProcess([Tandem.executable.path, "port-forward", "--local", "d2-fwd", "--component", "web", "0:80", "0:81"],
                                         environment: harness.environment)
        #expect(forward.wait { $0.components(separatedBy: "Forwarding from").count == 3 }, "\(forward.output)\(forward.errors)")
        let ports = forward.output.split(separator: "\n").compactMap { line in
            line.split(separator: ":").dropFirst().first.flatMap { Int($0.split(separator: " ").first ?? "") }
        }
        try #require(ports.count == 2, "\(forward.output)")
        #expect(forward.output.contains("(pod web-"), "\(forward.output)")
        // Twice: each connection is carried on its own.
        for _ in 0..<2 {
            let body = try LocalServiceTests.get(port: ports[0])
            #expect(body.hasPrefix("web-"), "the web pod's hostname: \(body)\n\(forward.errors)")
        }
        // Nothing listens on port 81 in the pod: the connection is closed, and the reason said.
        #expect(try LocalServiceTests.get(port: ports[1]).isEmpty)
        #expect(forward.wait(errors: true) { $0.contains("nothing answers on") && $0.contains(":81 in the pod") }, "\(forward.errors)")
        await forward.stop()

        let unknown = try harness.tandem(["port-forward", "--local", "d2-fwd", "--component", "nope", "80"])
        #expect(unknown.status != 0 && unknown.stderr.contains("has no component nope; its components: worker, web"), "\(unknown.output)")
        let missing = try harness.tandem(["port-forward", "--local", "d2-none", "80"])
        #expect(missing.status != 0 && missing.stderr.contains("application d2-none is not running locally"), "\(missing.output)")
    }
}
