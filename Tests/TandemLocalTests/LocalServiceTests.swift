import Foundation
import TandemTestSupport
import Testing

/// Services run locally as on a cluster: a frontend reaches `api:8080` and
/// `api.default.svc.cluster.local:8080`, answered by the container port the Service targets,
/// and `--publish` spreads this machine's connections over every replica. podman is the judge:
/// the names are looked up and fetched inside the frontend's container with `podman exec`.
@Suite(.serialized, .enabled(if: LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason))
struct LocalServiceTests {
    typealias Harness = LocalRuntimeHarness

    /// Two replicas answering with their pod's name on port 80, behind Service port 18080.
    static let shop = """
            - name: api
              type: webservice
              properties:
                image: busybox:1.36
                cmd: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && httpd -f -p 80 -h /www"]
                ports: [{port: 18080, containerPort: 80, name: http, expose: true}]
                readinessProbe:
                  httpGet: {path: /index.html, port: 80}
                  periodSeconds: 1
              traits:
                - type: scaler
                  properties: {replicas: 2}
            - name: frontend
              type: worker
              properties:
                image: busybox:1.36
                cmd: ["sleep", "3600"]
        """

    @Test func aFrontendReachesTheApiByItsServiceNamesAndPublishingReachesEveryReplica() throws {
        let harness = try Harness("e2e-svc")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-svc", Self.shop))
        let up = try harness.tandem(["up", "--local", file, "--publish", "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        let frontend = "e2e-svc_frontend-0_frontend"
        func fetch(_ url: String) throws -> String {
            try harness.podman(["exec", frontend, "wget", "-q", "-O", "-", url]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // The forwarder learns of the ready pods from the supervisor's endpoints file: wait for it to say so.
        var answers: Set<String> = []
        try harness.eventually(20) {
            answers.insert(try fetch("http://api:18080/"))
            return answers.contains("api-0") || answers.contains("api-1")
        }
        #expect(answers.isSubset(of: ["", "api-0", "api-1"]) && !answers.subtracting([""]).isEmpty, "\(answers)")
        let long = try fetch("http://api.default.svc.cluster.local:18080/")
        #expect(["api-0", "api-1"].contains(long), "\(long)")
        for name in ["api.default:18080", "api.default.svc:18080"] {
            #expect(["api-0", "api-1"].contains(try fetch("http://\(name)/")), "\(name)")
        }
        // The answer comes from the port the Service targets (80): nothing listens on 18080 in the api's pods.
        let direct = try harness.podman(["exec", "e2e-svc_api-0_api", "wget", "-q", "-O", "-", "http://127.0.0.1:18080/"])
        #expect(direct.status != 0, "\(direct.output)")

        // Published: connections from this machine go to each replica in turn.
        var seen: Set<String> = []
        for _ in 0..<4 { seen.insert(try Self.get(port: 18080)) }
        #expect(seen == ["api-0", "api-1"], "\(seen)")
        let published = try harness.podman(["pod", "inspect", "--format", "{{json .InfraConfig.PortBindings}}", "e2e-svc_service_api"])
        #expect(published.stdout.contains("18080"), "podman publishes the Service's port on its pod: \(published.output)")
    }

    /// `GET /` on this machine's `port`, the body's text.
    static func get(port: Int) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestSupportError("connect to port \(port): \(String(cString: strerror(errno)))") }
        let request = Array("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            response += buffer.prefix(count)
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let body = text.range(of: "\r\n\r\n") else { return "" }
        return text[body.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
