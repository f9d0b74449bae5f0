import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// Talks HTTP/1.1 or HTTP/2 over TLS to an API server with AsyncHTTPClient: the kubeconfig's
/// certificate authority, client certificate, `tls-server-name` and proxy; a credential on every
/// request, asked for again once when the server answers 401.
public final class HTTPTransport: KubeTransport {
    public let server: String
    private let scheme: String
    private let host: String
    private let port: Int
    private let pathPrefix: String
    private let tls: TLSSettings
    private let proxy: HTTPClient.Configuration.Proxy?
    private let connectTimeout: Duration
    /// How the server's audit log names us (`tandem/0.2.0`).
    private let userAgent: String
    public let credentials: CredentialStore
    /// One client per client certificate (an exec plugin may hand out a new one), and per use:
    /// watches hold their HTTP/1.1 connections for minutes, so they get a pool of their own
    /// and never starve other requests.
    private let clients = Mutex<[PoolKey: HTTPClient]>([:])

    private struct PoolKey: Hashable {
        var identity: ClientIdentity?
        var watches: Bool
    }

    /// `sendCredentialsOverHTTP` is for tests against a server on loopback: kubectl never sends
    /// credentials over plain HTTP, and neither does Tandem otherwise.
    public init(_ connection: ClusterConnection, connectTimeout: Duration = .seconds(10), userAgent: String = "tandem",
                environment: [String: String] = ProcessInfo.processInfo.environment, sendCredentialsOverHTTP: Bool = false) throws {
        guard let url = URL(string: connection.server), let scheme = url.scheme, let host = url.host else {
            throw KubeError.configuration("the server is not a URL: \(connection.server)")
        }
        server = connection.server
        self.scheme = scheme
        self.host = host
        port = url.port ?? (scheme == "https" ? 443 : 80)
        pathPrefix = url.path == "/" ? "" : url.path
        tls = connection.tls
        self.connectTimeout = connectTimeout
        self.userAgent = userAgent
        // Over plain HTTP no credential is sent, as kubectl sends none: it would travel in clear.
        credentials = CredentialStore(scheme == "https" || sendCredentialsOverHTTP ? connection.credentials : .none)
        proxy = try ProxySettings.proxy(explicit: connection.proxyURL, scheme: scheme, host: host, environment: environment)
        _ = try tls.configuration()  // report a bad certificate now, not on the first request
    }

    /// The host the URL names: the TLS server name when there is one, so that the certificate is
    /// checked against it; the connection still goes to the real host (`dnsOverride`).
    private var requestHost: String { tls.serverName ?? host }

    private func client(for identity: ClientIdentity?, watches: Bool = false) throws -> HTTPClient {
        let key = PoolKey(identity: identity, watches: watches)
        return try clients.withLock { clients in
            if let client = clients[key] { return client }
            var configuration = HTTPClient.Configuration(
                tlsConfiguration: scheme == "https" ? try tls.configuration(identity: identity) : nil,
                redirectConfiguration: .disallow,
                timeout: .init(connect: .nanoseconds(Int64(connectTimeout.seconds * 1e9))),
                proxy: proxy)
            if let serverName = tls.serverName, serverName != host { configuration.dnsOverride = [serverName: host] }
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = watches ? 1024 : 32
            // A refused connection is an answer: say so now rather than retry until the timeout.
            configuration.connectionPool.retryConnectionEstablishment = false
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            clients[key] = client
            return client
        }
    }

    private func prepare(_ request: KubeRequest, _ credential: Credential) -> HTTPClientRequest {
        let address = requestHost.contains(":") ? "[\(requestHost)]" : requestHost
        var prepared = HTTPClientRequest(url: "\(scheme)://\(address):\(port)\(pathPrefix)\(request.target)")
        prepared.method = HTTPMethod(rawValue: request.method.rawValue)
        prepared.headers.add(name: "Accept", value: "application/json")
        prepared.headers.add(name: "User-Agent", value: userAgent)
        for header in request.headers { prepared.headers.replaceOrAdd(name: header.name, value: header.value) }
        if let authorization = credential.authorization { prepared.headers.add(name: "Authorization", value: authorization) }
        if let body = request.body { prepared.body = .bytes(ByteBuffer(bytes: body)) }
        return prepared
    }

    public func send(_ request: KubeRequest, timeout: Duration) async throws -> KubeResponse {
        let credential = try await credentials.current()
        let response = try await perform(request, credential, timeout: timeout)
        guard response.status == 401, credentials.isRefreshable else { return response }
        // The credential expired early or was revoked: ask for a new one, once.
        await credentials.invalidate(credential)
        return try await perform(request, try await credentials.current(), timeout: timeout)
    }

    private func perform(_ request: KubeRequest, _ credential: Credential, timeout: Duration) async throws -> KubeResponse {
        do {
            let client = try client(for: credential.identity)
            let response = try await client.execute(prepare(request, credential), timeout: .nanoseconds(Int64(timeout.seconds * 1e9)))
            let body = try await response.body.collect(upTo: Self.maximumBody)
            return KubeResponse(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                                body: Array(buffer: body))
        } catch let error as NIOTooManyBytesError {
            throw KubeError.invalidResponse(request: request.description, reason: "the answer is larger than \(Self.maximumBody >> 20) MiB (\(error))")
        } catch {
            throw ConnectionFailure.describe(error, server: server, timeout: timeout)
        }
    }

    /// Lists of a large cluster are big; past this, something is wrong.
    static let maximumBody = 512 << 20

    public func open(_ request: KubeRequest) async throws -> KubeStreamingResponse {
        var credential = try await credentials.current()
        var response = try await start(request, credential)
        if response.status.code == 401, credentials.isRefreshable {
            await credentials.invalidate(credential)
            credential = try await credentials.current()
            response = try await start(request, credential)
        }
        let server = self.server
        // Pulled, not pushed: a chunk is read from the connection only when the reader asks for
        // one, so a slow reader slows the server down (TCP back-pressure) instead of piling up
        // events in memory.
        let source = BodyIterator(response.body.makeAsyncIterator())
        let stream = AsyncThrowingStream<[UInt8], any Error> {
            do {
                return try await source.next()
            } catch {
                throw ConnectionFailure.describe(error, server: server, timeout: .seconds(0))
            }
        }
        return KubeStreamingResponse(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                                     body: stream)
    }

    private func start(_ request: KubeRequest, _ credential: Credential) async throws -> HTTPClientResponse {
        do {
            // A watch stays open as long as the server keeps it (its own timeoutSeconds).
            return try await client(for: credential.identity, watches: true).execute(prepare(request, credential), timeout: .hours(24))
        } catch {
            throw ConnectionFailure.describe(error, server: server, timeout: .seconds(0))
        }
    }

    /// A transport dropped without `shutdown()` still closes its connections, in the background:
    /// each client is kept alive until its shutdown completes.
    deinit {
        let remaining = clients.withLock { clients in
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for client in remaining {
            client.shutdown(queue: .global()) { _ in withExtendedLifetime(client) {} }
        }
    }

    public func shutdown() async {
        let all = clients.withLock { clients in
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for client in all { try? await client.shutdown() }
    }
}

/// The body of a streaming response, read by one reader at a time.
private final class BodyIterator: @unchecked Sendable {
    private var iterator: HTTPClientResponse.Body.AsyncIterator

    init(_ iterator: HTTPClientResponse.Body.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> [UInt8]? {
        try await iterator.next().map { Array(buffer: $0) }
    }
}
