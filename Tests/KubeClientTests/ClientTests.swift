import Foundation
import KubeClient
import KubeModel
import KubeTestServer
import TandemJSON
import TandemTestSupport
import Testing

/// The client against the test server in this process: credentials, TLS, retries, watches.
@Suite struct ClientTests {
    /// A scratch folder removed at the end.
    final class Scratch: @unchecked Sendable {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("client-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func file(_ name: String, _ text: String, executable: Bool = false) throws -> String {
            let file = path + "/" + name
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file) }
            return file
        }
        func read(_ name: String) -> [UInt8] { FileManager.default.contents(atPath: path + "/" + name).map(Array.init) ?? [] }
    }

    static func client(_ server: KubeTestServer, tls: TLSSettings = TLSSettings(), credentials: CredentialSource = .none,
                       retry: RetryPolicy = RetryPolicy(initialDelay: .milliseconds(20))) throws -> KubeClient {
        try KubeClient(ClusterConnection(server: server.url, tls: tls, credentials: credentials), retry: retry)
    }

    @Test(.enabled(if: TestCertificates.available))
    func certificatesTokensAndServerNames() async throws {
        let scratch = try Scratch()
        try TestCertificates.make(in: scratch.path)
        let files = { (name: String) in scratch.read(name) }
        let server = try await KubeTestServer.start(KubeTestServer.Options(
            tls: .init(certificatePath: scratch.path + "/server.crt", privateKeyPath: scratch.path + "/server.key",
                       clientCAPath: scratch.path + "/ca.crt"),
            tokens: ["s3cret": "bob"]))
        defer { Task { try? await server.shutdown() } }
        let trusted = TLSSettings(certificateAuthority: files("ca.crt"))

        var alice = trusted
        alice.clientCertificate = files("alice.crt")
        alice.clientKey = files("alice.key")
        let viaCertificate = try Self.client(server, tls: alice)
        #expect(try await viaCertificate.version().gitVersion == "v1.31.0")
        #expect(await server.requests().last?.user == "alice")

        let viaToken = try Self.client(server, tls: trusted, credentials: .token("s3cret"))
        _ = try await viaToken.version()
        #expect(await server.requests().last?.user == "bob")

        do {
            _ = try await Self.client(server, tls: trusted, credentials: .token("wrong")).version()
            Issue.record("a wrong token was accepted")
        } catch let error as KubeError {
            #expect(error.status?.code == 401)
            #expect(error.description.hasPrefix("the cluster did not accept the credentials (401 Unauthorized)"))
            #expect(!error.description.contains("wrong"))
        }

        var mallory = trusted
        mallory.clientCertificate = files("mallory.crt")
        mallory.clientKey = files("mallory.key")
        await #expect(throws: KubeError.self) { try await Self.client(server, tls: mallory).version() }

        // A server whose certificate the CA does not vouch for is not trusted…
        do {
            _ = try await Self.client(server, tls: TLSSettings(certificateAuthority: files("other-ca.crt")), credentials: .token("s3cret")).version()
            Issue.record("an untrusted server was trusted")
        } catch let error as KubeError {
            guard case .unreachable(_, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains("not trusted"), "\(reason)")
        }
        // …unless the kubeconfig says to skip verification.
        _ = try await Self.client(server, tls: TLSSettings(insecureSkipVerify: true), credentials: .token("s3cret")).version()

    }

    /// `tls-server-name`: a server reached by address whose certificate names only a host is
    /// trusted when the kubeconfig names that host, and not otherwise.
    @Test(.enabled(if: TestCertificates.available))
    func tlsServerName() async throws {
        let scratch = try Scratch()
        try TestCertificates.make(in: scratch.path)
        let server = try await KubeTestServer.start(KubeTestServer.Options(
            tls: .init(certificatePath: scratch.path + "/server-dns.crt", privateKeyPath: scratch.path + "/server-dns.key")))
        defer { Task { try? await server.shutdown() } }
        var tls = TLSSettings(certificateAuthority: scratch.read("ca.crt"))
        for (name, works) in [(nil, false), ("localhost", true), ("api.elsewhere.example", false)] as [(String?, Bool)] {
            tls.serverName = name
            do {
                _ = try await Self.client(server, tls: tls).version()
                #expect(works, "tls-server-name \(name ?? "none") was accepted")
            } catch let error as KubeError {
                guard case .unreachable(_, let reason) = error else { Issue.record("\(error)"); continue }
                #expect(!works, "tls-server-name \(name ?? "none"): \(reason)")
                #expect(reason.contains("not valid for"), "\(reason)")
            }
        }
    }

    /// An exec plugin runs once, is cached until it expires, and runs again when the server
    /// refuses its credential (401); the refused request is sent again, once.
    @Test func execCredentialsAreCachedAndRefreshedOn401() async throws {
        let scratch = try Scratch()
        _ = try scratch.file("plugin.sh", """
            #!/bin/sh
            # Counts its runs; hands out tok-1, tok-2, ... valid for an hour.
            count=$(cat "$0.count" 2>/dev/null || echo 0); count=$((count + 1)); echo $count > "$0.count"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$0.info"
            echo "{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"tok-$count\\",\\"expirationTimestamp\\":\\"$EXPIRY\\"}}"
            """, executable: true)
        let server = try await KubeTestServer.start(KubeTestServer.Options(tokens: ["tok-2": "carol", "tok-3": "carol"]))
        defer { Task { try? await server.shutdown() } }
        let kubeconfig = try scratch.file("config", """
            apiVersion: v1
            kind: Config
            current-context: c
            clusters: [{name: c, cluster: {server: "\(server.url)"}}]
            contexts: [{name: c, context: {cluster: c, user: u}}]
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./plugin.sh
                  interactiveMode: Never
                  provideClusterInfo: true
                  env: [{name: EXPIRY, value: "2099-01-01T00:00:00Z"}]
            """)
        var connection = try ClusterConnection.resolve(kubeconfig: kubeconfig, environment: ["HOME": scratch.path])
        // Tokens travel over plain HTTP here only because the test server is on loopback.
        let client = try KubeClient(transport: InsecureTestTransport(connection: &connection))
        for _ in 0..<4 { _ = try await client.version() }
        #expect(String(decoding: scratch.read("plugin.sh.count"), as: UTF8.self) == "2\n", "one refused run, then cached")
        let users = await server.requests().map { "\($0.statusCode) \($0.user ?? "-")" }
        #expect(users == ["401 -", "200 carol", "200 carol", "200 carol", "200 carol"])
        let info = try JSONReader().read(scratch.read("plugin.sh.info"))
        #expect(info["kind"] == "ExecCredential")
        #expect(info[path: ["spec", "interactive"]] == false)
        #expect(info[path: ["spec", "cluster", "server"]]?.string == server.url)
        #expect(info[path: ["spec", "cluster", "config"]] == .null)
    }

    @Test func expiredExecCredentialsAreAskedForEachTime() async throws {
        let scratch = try Scratch()
        _ = try scratch.file("plugin.sh", """
            #!/bin/sh
            count=$(cat "$0.count" 2>/dev/null || echo 0); count=$((count + 1)); echo $count > "$0.count"
            echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"2001-01-01T00:00:00Z"}}'
            """, executable: true)
        let server = try await KubeTestServer.start(KubeTestServer.Options(tokens: ["t": "dave"]))
        defer { Task { try? await server.shutdown() } }
        let plugin = ExecCredentialPlugin(config: Kubeconfig.ExecConfig(
            apiVersion: "client.authentication.k8s.io/v1beta1", command: scratch.path + "/plugin.sh", args: [], env: [],
            provideClusterInfo: false, interactiveMode: "IfAvailable", interactiveModeDefaulted: true, installHint: nil))
        var connection = ClusterConnection(server: server.url, credentials: .exec(plugin))
        let client = try KubeClient(transport: InsecureTestTransport(connection: &connection))
        for _ in 0..<3 { _ = try await client.version() }
        #expect(String(decoding: scratch.read("plugin.sh.count"), as: UTF8.self) == "3\n")
    }

    @Test func aMissingPluginSaysHowToInstallIt() async throws {
        let plugin = ExecCredentialPlugin(config: Kubeconfig.ExecConfig(
            apiVersion: "client.authentication.k8s.io/v1", command: "no-such-plugin-anywhere", args: [], env: [],
            provideClusterInfo: false, interactiveMode: "Never", interactiveModeDefaulted: false,
            installHint: "install it with: brew install no-such-plugin"))
        do {
            _ = try await plugin.run(environment: ["PATH": "/nonexistent"])
            Issue.record("a missing plugin ran")
        } catch {
            #expect("\(error)" == "the exec credential plugin 'no-such-plugin-anywhere' was not found on PATH\ninstall it with: brew install no-such-plugin")
        }
    }

    @Test func throttlingAndServerErrorsAreRetriedWithinBounds() async throws {
        let server = try await KubeTestServer.start()
        defer { Task { try? await server.shutdown() } }
        let client = try Self.client(server)

        await server.inject(.status(429, retryAfterSeconds: 1, method: "GET", path: "/version"))
        let started = ContinuousClock.now
        _ = try await client.version()
        #expect(ContinuousClock.now - started >= .seconds(1), "Retry-After was honoured")

        await server.inject(.status(500, method: "GET", path: "/version", times: 2))
        await server.inject(.dropConnection(method: "GET", path: "/version"))
        await server.resetRequests()
        _ = try await client.version()
        #expect(await server.requests().count == 4, "two 500s, a dropped connection, then the answer")

        await server.inject(.status(503, method: "GET", path: "/version", times: nil))
        do {
            _ = try await client.version()
            Issue.record("a server that always fails succeeded")
        } catch let error as KubeError {
            #expect(error.status?.code == 503)
        }
        await server.clearFaults()

        // A create is not repeated after a broken connection: it may have happened.
        await server.inject(.dropConnection(method: "POST"))
        await server.resetRequests()
        let configMap = KubeObject(json: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "once", "namespace": "default"]])
        let resource = try await client.resource(for: GroupVersionKind.configMap)
        await #expect(throws: KubeError.self) { try await client.send(KubeRequests.create(resource, configMap)) }
        #expect(await server.requests().filter { $0.method == "POST" }.count == 1)
    }

    /// A reflector keeps its copy current across a watch cut mid-stream (resuming from the last
    /// resourceVersion) and a `410 Gone` (listing again).
    @Test func aReflectorResumesAndRelists() async throws {
        let server = try await KubeTestServer.start(KubeTestServer.Options(simulation: .off))
        defer { Task { try? await server.shutdown() } }
        let client = try Self.client(server)
        let resource = try await client.resource(for: GroupVersionKind.configMap)
        let path = "/api/v1/namespaces/default/configmaps"
        // The first watch breaks after one event.
        await server.inject(.cutWatch(afterEvents: 1, path: path))
        let seen = Seen()
        let task = Task {
            try await Reflector(client: client, resource: resource, namespace: "default", labelSelector: "app=shop",
                                watchTimeoutSeconds: 1).run { snapshot in
                await seen.set(Set(snapshot.keys.map(\.name)))
            }
        }
        defer { task.cancel() }
        func create(_ name: String) async throws {
            let object = KubeObject(json: ["apiVersion": "v1", "kind": "ConfigMap",
                                           "metadata": ["name": .string(name), "namespace": "default", "labels": ["app": "shop"]]])
            try await client.apply(object)
        }
        #expect(await seen.wait(for: []))
        try await create("a")
        #expect(await seen.wait(for: ["a"]))
        try await create("b")
        try await create("c")
        #expect(await seen.wait(for: ["a", "b", "c"]))
        // The next watch (within the second) is refused as too old: the reflector lists again.
        await server.inject(.status(410, method: "GET", path: path))
        #expect(await Self.eventually { await server.requests().contains { $0.path == path && $0.statusCode == 410 } })
        try await create("d")
        #expect(await seen.wait(for: ["a", "b", "c", "d"]))
        let requests = await server.requests().filter { $0.path == path }
        let watches = requests.filter(\.isWatch)
        #expect(watches.count >= 3)
        #expect(watches.dropFirst().allSatisfy { $0.query("resourceVersion") != nil }, "resumed from a resourceVersion")
        #expect(requests.filter { !$0.isWatch }.count >= 2, "listed again after 410 Gone")
    }

    static func eventually(_ condition: () async -> Bool) async -> Bool {
        // Up to 60 s: the bound of a failure, not the time a pass takes on a loaded machine.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(25))
        }
        return await condition()
    }

    actor Seen {
        var names: Set<String> = []
        func set(_ names: Set<String>) { self.names = names }
        func wait(for expected: Set<String>) async -> Bool {
            for _ in 0..<200 {
                if names == expected { return true }
                try? await Task.sleep(for: .milliseconds(25))
            }
            return false
        }
    }
}

/// The HTTP transport with the kubeconfig's credentials sent over plain HTTP, which Tandem
/// refuses to do against a real server: the test server runs on loopback.
struct InsecureTestTransport: KubeTransport {
    let inner: HTTPTransport
    var server: String { inner.server }

    init(connection: inout ClusterConnection) throws {
        inner = try HTTPTransport(connection, sendCredentialsOverHTTP: true)
    }

    func send(_ request: KubeRequest, timeout: Duration) async throws -> KubeResponse { try await inner.send(request, timeout: timeout) }
    func open(_ request: KubeRequest) async throws -> KubeStreamingResponse { try await inner.open(request) }
    func shutdown() async { await inner.shutdown() }
}
