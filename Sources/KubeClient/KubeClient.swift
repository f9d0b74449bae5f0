import Foundation
import KubeModel
import TandemJSON

/// The Kubernetes API as Tandem uses it — discovery, get, list, watch, server-side apply,
/// delete — for one actor: every request it sends goes out under its field manager (`tandem`
/// for the command line, the controller's own for the controller) and, in a dry run, with
/// `dryRun=All`. A value over a `KubeAPI`: `managed(by:)` and `dryRunning()` make the clients
/// other actors use, sharing the endpoint, its connections and its discovery.
public struct KubeClient: Sendable {
    public let api: any KubeAPI
    /// Who owns the fields this client writes (`metadata.managedFields[].manager`).
    public let fieldManager: String
    /// Every change is checked by the server and stored nowhere.
    public let dryRun: Bool

    public init(_ api: any KubeAPI, fieldManager: String = "tandem", dryRun: Bool = false) {
        self.api = api
        self.fieldManager = fieldManager
        self.dryRun = dryRun
    }

    /// A client over `transport`.
    public init(transport: any KubeTransport, retry: RetryPolicy = RetryPolicy(), requestTimeout: Duration = .seconds(60),
                fieldManager: String = "tandem", observer: (@Sendable (KubeRequest, Int, Duration) -> Void)? = nil) {
        self.init(KubeEndpoint(transport: transport, retry: retry, requestTimeout: requestTimeout, observer: observer),
                  fieldManager: fieldManager)
    }

    /// A client over HTTPS for `connection`.
    public init(_ connection: ClusterConnection, retry: RetryPolicy = RetryPolicy(), requestTimeout: Duration = .seconds(60),
                connectTimeout: Duration = .seconds(10), userAgent: String = "tandem", fieldManager: String = "tandem",
                observer: (@Sendable (KubeRequest, Int, Duration) -> Void)? = nil) throws {
        self.init(try KubeEndpoint(connection, retry: retry, requestTimeout: requestTimeout, connectTimeout: connectTimeout,
                                   userAgent: userAgent, observer: observer),
                  fieldManager: fieldManager)
    }

    /// The same endpoint, writing as `fieldManager`.
    public func managed(by fieldManager: String) -> KubeClient {
        KubeClient(api, fieldManager: fieldManager, dryRun: dryRun)
    }

    /// The same endpoint and manager; changes are only checked (or, with false, made).
    public func dryRunning(_ dryRun: Bool = true) -> KubeClient {
        KubeClient(api, fieldManager: fieldManager, dryRun: dryRun)
    }

    public var server: String { api.server }
    /// How many requests the endpoint sent (each retry counts), for benchmarks and tests.
    public var requestCount: Int { api.requestCount }

    public func shutdown() async {
        await api.shutdown()
    }

    /// The resource that serves `gvk`, from discovery (cached for the endpoint's life).
    public func resource(for gvk: GroupVersionKind) async throws -> APIResource {
        try await api.resource(for: gvk)
    }

    /// The resource of a kind, in the version the server prefers.
    public func resource(for groupKind: GroupKind) async throws -> APIResource {
        try await api.resource(for: groupKind)
    }

    /// Forgets discovery, after a custom resource definition was applied.
    public func forgetDiscovery() async {
        await api.forgetDiscovery()
    }

    // MARK: Requests

    /// `request` as this client sends it: a write names the field manager (POST, PUT and PATCH
    /// take one), and in a dry run every write asks for `dryRun=All`.
    public func stamped(_ request: KubeRequest) -> KubeRequest {
        var request = request
        if [.post, .put, .patch].contains(request.method) {
            request.query.removeAll { $0.name == "fieldManager" }
            request.query.insert(.init("fieldManager", fieldManager), at: 0)
        }
        if dryRun, request.method != .get, !request.query.contains(where: { $0.name == "dryRun" }) {
            request.query.append(.init("dryRun", "All"))
        }
        return request
    }

    /// Sends `request` and returns the successful answer as it came.
    public func sendRaw(_ request: KubeRequest) async throws -> KubeResponse {
        try await api.sendRaw(stamped(request))
    }

    /// Sends `request` and decodes the JSON answer; an error answer becomes `KubeError.api`.
    @discardableResult
    public func send(_ request: KubeRequest) async throws -> JSONValue {
        let stamped = stamped(request)
        let response = try await api.sendRaw(stamped)
        guard !response.body.isEmpty else { return .null }
        do {
            return try JSONReader().read(response.body)
        } catch {
            throw KubeError.invalidResponse(request: stamped.description, reason: "the body is not JSON (\(error))")
        }
    }

    // MARK: Operations

    public func version() async throws -> ServerVersion {
        ServerVersion(json: try await send(KubeRequests.version()))
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
    public func list(_ resource: APIResource, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil,
                     transform: (KubeObject) -> KubeObject = { $0 }) async throws -> ObjectList {
        var items: [KubeObject] = []
        var token: String?
        var resourceVersion = ""
        repeat {
            let page = try await send(KubeRequests.list(resource, namespace: namespace, labelSelector: labelSelector,
                                                        fieldSelector: fieldSelector, limit: 500, continue: token))
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

        public init(object: KubeObject, created: Bool) {
            self.object = object
            self.created = created
        }
    }

    /// Server-side apply of `object`.
    @discardableResult
    public func apply(_ object: KubeObject, options: ApplyOptions = ApplyOptions()) async throws -> Applied {
        let resource = try await resource(for: object.gvk)
        let request = stamped(KubeRequests.apply(resource, object, options: options))
        let response = try await api.sendRaw(request)
        do {
            return Applied(object: KubeObject(json: try JSONReader().read(response.body)), created: response.status == 201)
        } catch {
            throw KubeError.invalidResponse(request: request.description, reason: "the body is not JSON (\(error))")
        }
    }

    /// Deletes the object; false when it was already gone.
    @discardableResult
    public func delete(_ reference: ObjectReference, propagation: PropagationPolicy = .background) async throws -> Bool {
        let resource = try await resource(for: reference.gvk)
        do {
            try await send(KubeRequests.delete(resource, namespace: resource.namespaced ? reference.namespace : nil,
                                               name: reference.name, propagation: propagation))
            return true
        } catch let error as KubeError where error.isNotFound {
            return false
        }
    }

    /// One watch connection: its events until the server ends it. An `ERROR` event becomes a
    /// thrown `KubeError.api` (410 Gone when the resourceVersion is too old).
    public func watch(_ resource: APIResource, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil,
                      resourceVersion: String?, timeoutSeconds: Int = 290) async throws -> AsyncThrowingStream<WatchEvent, any Error> {
        let request = KubeRequests.watch(resource, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
                                         resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds)
        let response = try await api.open(stamped(request))
        guard (200..<300).contains(response.status) else {
            var body: [UInt8] = []
            for try await chunk in response.body where body.count < 1 << 20 { body += chunk }
            throw KubeError.api(request: request.description,
                                status: KubeEndpoint.status(of: KubeResponse(status: response.status, body: body)))
        }
        let server = api.server
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
