import Foundation
import KubeTestServer
import TandemJSON
import TandemTestSupport
import Testing

/// Runs a program off Swift's cooperative threads, so that a blocking child process never
/// starves the in-process server or other tests.
func run(_ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil) async throws -> ProcessResult {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try runProcess(arguments, stdin: stdin, environment: environment) })
        }
    }
}

enum Tools {
    static let curl = "/usr/bin/curl"
    static let openssl = "/usr/bin/openssl"
    static var hasCurl: Bool { FileManager.default.isExecutableFile(atPath: curl) }
    static var hasOpenSSL: Bool { FileManager.default.isExecutableFile(atPath: openssl) }
}

/// A server on a free port with its own scratch folder (kubeconfig, kubectl caches, files).
final class ServerFixture: Sendable {
    let server: KubeTestServer
    let directory: URL
    let kubeconfig: String

    private init(server: KubeTestServer, directory: URL) {
        self.server = server
        self.directory = directory
        kubeconfig = directory.appendingPathComponent("kubeconfig").path
    }

    static func start(_ options: KubeTestServer.Options = KubeTestServer.Options(),
                      user: KubeTestServer.KubeconfigUser = .anonymous) async throws -> ServerFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kube-test-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = try await KubeTestServer.start(options)
        let cluster = ServerFixture(server: server, directory: directory)
        try server.writeKubeconfig(to: cluster.kubeconfig, user: user)
        return cluster
    }

    func stop() async {
        try? await server.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// For `defer`: removes the scratch folder now and shuts the server down in the background.
    func finish() {
        try? FileManager.default.removeItem(at: directory)
        let server = self.server
        Task { try? await server.shutdown() }
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws -> String {
        let path = self.path(name)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// kubectl with this cluster's kubeconfig and its own HOME and caches.
    func kubectl(_ arguments: [String], binary: String? = nil, kubeconfig: String? = nil, stdin: String? = nil,
                 environment: [String: String] = [:]) async throws -> ProcessResult {
        let binary = try binary ?? Kubectl.require()
        let home = path("home-\((binary as NSString).lastPathComponent)")
        var env = ["HOME": home, "KUBECONFIG": kubeconfig ?? self.kubeconfig, "KUBECTL_APPLYSET": "false"]
        env.merge(environment) { _, new in new }
        return try await run([binary, "--cache-dir", home + "/cache"] + arguments, stdin: stdin, environment: env)
    }

    /// A kubectl that keeps running (a watch), stopped once its output satisfies `enough`.
    func kubectl(_ arguments: [String], until enough: @escaping @Sendable (String) -> Bool) async throws -> ProcessResult {
        let binary = try Kubectl.require()
        let home = path("home-\((binary as NSString).lastPathComponent)")
        let env = ["HOME": home, "KUBECONFIG": kubeconfig, "KUBECTL_APPLYSET": "false"]
        return try await runProcess([binary, "--cache-dir", home + "/cache"] + arguments, environment: env, until: enough)
    }

    /// A request with curl: the status code, headers and body, and curl's exit code (52: the
    /// server closed the connection without answering; 18: it closed mid-body).
    func curl(_ method: String, _ path: String, body: String? = nil, contentType: String = "application/json",
              headers: [String] = [], maxTime: Int = 20) async throws -> HTTPResult {
        var arguments = [Tools.curl, "-sS", "-i", "-N", "-X", method, "--max-time", String(maxTime)]
        for header in headers { arguments += ["-H", header] }
        if body != nil { arguments += ["-H", "Content-Type: \(contentType)", "--data-binary", "@-"] }
        arguments.append(server.url + path)
        let result = try await run(arguments, stdin: body)
        return HTTPResult(exitCode: result.status, raw: result.stdout, stderr: result.stderr)
    }
}

/// What curl saw.
struct HTTPResult {
    var exitCode: Int32
    var raw: String
    var stderr: String

    /// The status code of the (last) response head.
    var status: Int {
        let lines = raw.components(separatedBy: "\r\n").filter { $0.hasPrefix("HTTP/") }
        return lines.last.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
    }

    var headers: [String: String] {
        guard let end = raw.range(of: "\r\n\r\n") else { return [:] }
        var result: [String: String] = [:]
        for line in raw[..<end.lowerBound].components(separatedBy: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            result[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return result
    }

    var body: String {
        guard let end = raw.range(of: "\r\n\r\n") else { return "" }
        return String(raw[end.upperBound...])
    }

    var json: JSONValue? { try? JSONReader().read(body) }

    /// Watch events, one JSON object per line.
    var events: [JSONValue] {
        body.split(separator: "\n").compactMap { try? JSONReader().read(String($0)) }
    }
}

/// Polls until `condition` holds; false when `timeout` passes first. The timeout only bounds a
/// failure: a CI machine running every suite at once can take many seconds to start a kubectl.
func eventually(timeout: Duration = .seconds(60), interval: Duration = .milliseconds(50),
                _ condition: () async throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}

/// Parses JSON text written in a test.
func json(_ text: String) -> JSONValue {
    (try? JSONReader().read(text)) ?? .null
}

extension JSONValue {
    subscript(_ path: String) -> JSONValue? {
        var current: JSONValue? = self
        for part in path.split(separator: ".") {
            if let index = Int(part) {
                guard let items = current?.array, index < items.count else { return nil }
                current = items[index]
            } else {
                current = current?.object?[String(part)]
            }
        }
        return current
    }
}
