import Foundation
import KubeModel
import Synchronization
import TandemJSON

/// One API server reached through a transport: `Status` errors decoded, throttling and server
/// failures retried within bounds, discovery cached, every request counted. One endpoint serves
/// a whole run, or a controller's lifetime; `KubeClient`s (one per field manager) share it.
public final class KubeEndpoint: KubeAPI {
    public let transport: any KubeTransport
    public let retry: RetryPolicy
    public let requestTimeout: Duration
    let discovery: Discovery
    private let sent = Atomic<Int>(0)
    /// Hears every request once answered (`-v`): what was asked, the status, how long it took.
    public let observer: (@Sendable (KubeRequest, Int, Duration) -> Void)?

    public init(transport: any KubeTransport, retry: RetryPolicy = RetryPolicy(), requestTimeout: Duration = .seconds(60),
                observer: (@Sendable (KubeRequest, Int, Duration) -> Void)? = nil) {
        self.transport = transport
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.observer = observer
        discovery = Discovery()
    }

    /// An endpoint over HTTPS for `connection`.
    public convenience init(_ connection: ClusterConnection, retry: RetryPolicy = RetryPolicy(),
                            requestTimeout: Duration = .seconds(60), connectTimeout: Duration = .seconds(10),
                            userAgent: String = "tandem", observer: (@Sendable (KubeRequest, Int, Duration) -> Void)? = nil) throws {
        self.init(transport: try HTTPTransport(connection, connectTimeout: connectTimeout, userAgent: userAgent),
                  retry: retry, requestTimeout: requestTimeout, observer: observer)
    }

    public var server: String { transport.server }

    /// How many requests were sent (each retry counts), for benchmarks and tests.
    public var requestCount: Int { sent.load(ordering: .relaxed) }

    public func shutdown() async {
        await transport.shutdown()
    }

    public func resource(for gvk: GroupVersionKind) async throws -> APIResource {
        try await discovery.resource(for: gvk, api: self)
    }

    public func resource(for groupKind: GroupKind) async throws -> APIResource {
        try await discovery.resource(for: groupKind, api: self)
    }

    public func forgetDiscovery() async {
        await discovery.reset()
    }

    // MARK: Requests

    /// Sends `request` and returns the successful answer as it came.
    public func sendRaw(_ request: KubeRequest) async throws -> KubeResponse {
        var attempt = 0
        while true {
            sent.add(1, ordering: .relaxed)
            let response: KubeResponse
            let started = ContinuousClock.now
            do {
                response = try await transport.send(request, timeout: requestTimeout)
                observer?(request, response.status, ContinuousClock.now - started)
            } catch KubeError.connectionLost(let server, let reason) {
                observer?(request, 0, ContinuousClock.now - started)
                attempt += 1
                guard request.method != .post, attempt < retry.attempts else {
                    throw KubeError.connectionLost(server: server, reason: reason)
                }
                try await Task.sleep(for: retry.delay(after: attempt - 1, retryAfter: nil))
                continue
            }
            if response.isSuccess { return response }
            let status = Self.status(of: response)
            attempt += 1
            if RetryPolicy.isRetryable(status: response.status), attempt < retry.attempts {
                let hint = response.header("Retry-After").flatMap { Int($0) } ?? status.retryAfterSeconds
                try await Task.sleep(for: retry.delay(after: attempt - 1, retryAfter: hint))
                continue
            }
            throw KubeError.api(request: request.description, status: status)
        }
    }

    /// Opens a streaming request (a watch), counted and observed as the others.
    public func open(_ request: KubeRequest) async throws -> KubeStreamingResponse {
        sent.add(1, ordering: .relaxed)
        let started = ContinuousClock.now
        let response = try await transport.open(request)
        observer?(request, response.status, ContinuousClock.now - started)
        return response
    }

    /// The `Status` of an error answer; a bare code with the body's first line when the body is
    /// not one (a proxy's page).
    static func status(of response: KubeResponse) -> APIStatus {
        if let json = try? JSONReader().read(response.body), let status = APIStatus(json: json, httpStatus: response.status) {
            return status
        }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
            .split(separator: "\n").first.map(String.init) ?? ""
        return APIStatus(code: response.status, reason: HTTPReason.phrase(response.status), message: text)
    }
}

/// Reason phrases for bare error answers.
enum HTTPReason {
    static func phrase(_ code: Int) -> String {
        switch code {
        case 400: return "BadRequest"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 415: return "UnsupportedMediaType"
        case 422: return "Invalid"
        case 429: return "TooManyRequests"
        case 500: return "InternalError"
        case 502: return "BadGateway"
        case 503: return "ServiceUnavailable"
        case 504: return "Timeout"
        default: return ""
        }
    }
}
