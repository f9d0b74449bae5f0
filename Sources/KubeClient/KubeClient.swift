import Foundation
import KubeModel
import Synchronization
import TandemJSON

/// The Kubernetes API, as Tandem uses it: discovery, get, list, watch, server-side apply and
/// delete, with `Status` errors decoded, throttling and server failures retried within bounds,
/// and every request counted. One client serves a whole run, or a controller's lifetime.
public final class KubeClient: Sendable {
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

    /// A client over HTTPS for `connection`.
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

    // MARK: Requests

    /// Sends `request` and decodes the JSON answer; an error answer becomes `KubeError.api`.
    /// Throttling, server errors and (for requests that can safely be repeated) broken
    /// connections are retried as `retry` says.
    @discardableResult
    public func send(_ request: KubeRequest) async throws -> JSONValue {
        let response = try await sendRaw(request)
        guard !response.body.isEmpty else { return .null }
        do {
            return try JSONReader().read(response.body)
        } catch {
            throw KubeError.invalidResponse(request: request.description, reason: "the body is not JSON (\(error))")
        }
    }

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

    // MARK: Operations

    public func version() async throws -> ServerVersion {
        ServerVersion(json: try await send(KubeRequests.version()))
    }

    /// The resource that serves `gvk`, from discovery (cached for this client's life).
    public func resource(for gvk: GroupVersionKind) async throws -> APIResource {
        try await discovery.resource(for: gvk, client: self)
    }

    /// The resource of a kind, in the version the server prefers.
    public func resource(for groupKind: GroupKind) async throws -> APIResource {
        try await discovery.resource(for: groupKind, client: self)
    }

    /// The object, or nil when it does not exist.
    public func get(_ reference: ObjectReference) async throws -> KubeObject? {
        let resource = try await resource(for: reference.gvk)
        do {
            return KubeObject(json: try await send(KubeRequests.get(resource, namespace: reference.namespace, name: reference.name)))
        } catch let error as KubeError where error.isNotFound {
            return nil
        }
    }

    /// A list and the resourceVersion to watch from.
    public struct ObjectList: Sendable {
        public var items: [KubeObject]
        public var resourceVersion: String
    }

    /// Every object of `resource` in `namespace` (nil: all namespaces) that `labelSelector`
    /// selects, read page by page; `transform` is applied to each page's items as they arrive,
    /// so that a caller keeping little of each object never holds the whole list in full.
    public func list(_ resource: APIResource, namespace: String?, labelSelector: String? = nil,
                     transform: (KubeObject) -> KubeObject = { $0 }) async throws -> ObjectList {
        var items: [KubeObject] = []
        var token: String?
        var resourceVersion = ""
        repeat {
            let page = try await send(KubeRequests.list(resource, namespace: namespace, labelSelector: labelSelector,
                                                        limit: 500, continue: token))
            // Items of a list carry no apiVersion and kind: put them back.
            for item in page["items"]?.array ?? [] {
                items.append(transform(Self.object(item, of: resource)))
            }
            resourceVersion = page[path: ["metadata", "resourceVersion"]]?.string ?? resourceVersion
            token = page[path: ["metadata", "continue"]]?.string.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return ObjectList(items: items, resourceVersion: resourceVersion)
    }

    /// An item of a list or a watch event, which carries no apiVersion and kind: put back, first.
    static func object(_ item: JSONValue, of resource: APIResource) -> KubeObject {
        guard item["kind"] == nil, let members = item.object else { return KubeObject(json: item) }
        var object: JSONObject = ["apiVersion": .string(resource.gvk.apiVersion), "kind": .string(resource.gvk.kind)]
        for member in members where member.key != "apiVersion" { object.append(member.key, member.value) }
        return KubeObject(json: .object(object))
    }

    public func list(_ gvk: GroupVersionKind, namespace: String?, labelSelector: String? = nil) async throws -> ObjectList {
        try await list(try await resource(for: gvk), namespace: namespace, labelSelector: labelSelector)
    }

    /// What server-side apply answered: the object as stored (or as it would be, in a dry run),
    /// and whether the apply created it.
    public struct Applied: Sendable {
        public var object: KubeObject
        public var created: Bool
    }

    /// Server-side apply of `object`.
    @discardableResult
    public func apply(_ object: KubeObject, options: ApplyOptions = ApplyOptions()) async throws -> Applied {
        let resource = try await resource(for: object.gvk)
        let request = KubeRequests.apply(resource, object, options: options)
        let response = try await sendRaw(request)
        do {
            return Applied(object: KubeObject(json: try JSONReader().read(response.body)), created: response.status == 201)
        } catch {
            throw KubeError.invalidResponse(request: request.description, reason: "the body is not JSON (\(error))")
        }
    }

    /// Deletes the object; false when it was already gone.
    @discardableResult
    public func delete(_ reference: ObjectReference, propagation: PropagationPolicy = .background,
                       dryRun: Bool = false) async throws -> Bool {
        let resource = try await resource(for: reference.gvk)
        do {
            try await send(KubeRequests.delete(resource, namespace: resource.namespaced ? reference.namespace : nil,
                                               name: reference.name, propagation: propagation, dryRun: dryRun))
            return true
        } catch let error as KubeError where error.isNotFound {
            return false
        }
    }

    /// One watch connection: its events until the server ends it. An `ERROR` event becomes a
    /// thrown `KubeError.api` (410 Gone when the resourceVersion is too old).
    public func watch(_ resource: APIResource, namespace: String?, labelSelector: String? = nil,
                      resourceVersion: String?, timeoutSeconds: Int = 290) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        let request = KubeRequests.watch(resource, namespace: namespace, labelSelector: labelSelector,
                                         resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds)
        sent.add(1, ordering: .relaxed)
        let started = ContinuousClock.now
        let response = try await transport.open(request)
        observer?(request, response.status, ContinuousClock.now - started)
        guard (200..<300).contains(response.status) else {
            var body: [UInt8] = []
            for try await chunk in response.body where body.count < 1 << 20 { body += chunk }
            throw KubeError.api(request: request.description,
                                status: Self.status(of: KubeResponse(status: response.status, body: body)))
        }
        let server = transport.server
        // Events are decoded as the reader asks for them (see `HTTPTransport.open`).
        let pump = WatchPump(response.body.makeAsyncIterator())
        return AsyncThrowingStream {
            do {
                guard let event = try await pump.next() else { return nil }
                if event.kind == .error {
                    throw KubeError.api(request: request.description,
                                        status: APIStatus(json: event.object, httpStatus: 500)
                                            ?? APIStatus(code: 500, reason: "InternalError", message: "the watch ended with an error"))
                }
                return event
            } catch let error as WatchDecodingError {
                throw KubeError.invalidResponse(request: request.description, reason: error.reason)
            } catch is CancellationError {
                return nil
            } catch let error as KubeError {
                throw error
            } catch {
                throw KubeError.connectionLost(server: server, reason: String(describing: error))
            }
        }
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

/// Watch events decoded from a body's chunks one chunk at a time, for one reader.
private final class WatchPump: @unchecked Sendable {
    private var body: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
    private var decoder = WatchEventDecoder()
    private var pending: [WatchEvent] = []
    private var next = 0
    private var ended = false

    init(_ body: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator) {
        self.body = body
    }

    func next() async throws -> WatchEvent? {
        while next == pending.count {
            if ended { return nil }
            pending = []
            next = 0
            if let chunk = try await body.next() {
                pending = try decoder.feed(chunk)
            } else {
                ended = true
                if let event = try decoder.finish() { pending = [event] }
            }
        }
        defer { next += 1 }
        return pending[next]
    }
}
