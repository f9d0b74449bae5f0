import AsyncHTTPClient
import Foundation
import KubeClient
import KubeModel
import NIOCore
import NIOHTTP1
import TandemJSON
import TandemKubeVela

/// KubeVela's providers over the cluster's client and an HTTP client: what steps run against
/// where the workflow runs. Writes are server-side applies with the client's field manager, as
/// every other write of Tandem.
public struct KubeWorkflowProviders: WorkflowProviders {
    let client: KubeClient
    /// Where objects without a namespace go: the Application's.
    let namespace: String
    let httpClient: HTTPClient
    /// The largest response body read, so that a step cannot fill the memory.
    let maxResponseBytes: Int
    /// The longest a request may take, whatever the step asks: a receiver that refuses
    /// connections is tried again until then, and the workflow's caller waits that long.
    let maxHTTPTimeout: Duration
    let logLine: @Sendable (String, String) -> Void

    public init(client: KubeClient, namespace: String, httpClient: HTTPClient = .shared, maxResponseBytes: Int = 4 << 20,
                maxHTTPTimeout: Duration = .seconds(10), log: @escaping @Sendable (_ step: String, _ message: String) -> Void = { _, _ in }) {
        self.maxHTTPTimeout = maxHTTPTimeout
        self.client = client
        self.namespace = namespace
        self.httpClient = httpClient
        self.maxResponseBytes = maxResponseBytes
        self.logLine = log
    }

    public func apply(_ object: JSONValue) async throws -> JSONValue {
        let placed = try await placed(object)
        return try await client.apply(placed, options: ApplyOptions(force: true, strict: false)).object.json
    }

    public func read(_ object: JSONValue) async throws -> JSONValue? {
        try await client.get(try await placed(object).reference)?.json
    }

    public func list(apiVersion: String, kind: String, namespace: String?, matchingLabels: [String: String]) async throws -> [JSONValue] {
        let selector = matchingLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return try await client.list(GroupVersionKind(apiVersion: apiVersion, kind: kind), namespace: namespace,
                                     labelSelector: selector.isEmpty ? nil : selector).items.map(\.json)
    }

    public func delete(_ object: JSONValue) async throws {
        try await client.delete(try await placed(object).reference)
    }

    public func http(_ request: WorkflowHTTPRequest) async throws -> WorkflowHTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method.uppercased())
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let timeout = min(request.timeout, maxHTTPTimeout)
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        let response = try await httpClient.execute(outgoing, timeout: .milliseconds(max(100, milliseconds)))
        var headers: [String: [String]] = [:]
        for header in response.headers { headers[header.name, default: []].append(header.value) }
        let body = try await response.body.collect(upTo: maxResponseBytes)
        return WorkflowHTTPResponse(statusCode: Int(response.status.code), headers: headers, body: Array(buffer: body))
    }

    public func log(step: String, _ message: String) async {
        logLine(step, message)
    }

    /// The object with the Application's namespace when it names none and its kind is namespaced.
    private func placed(_ json: JSONValue) async throws -> KubeObject {
        var object = KubeObject(json: json)
        if let problem = KubeObject.identityProblem(json) { throw WorkflowError("the object \(problem)") }
        if object.namespace == nil, try await client.resource(for: object.gvk).namespaced {
            var metadata = json["metadata"] ?? .object([:])
            metadata["namespace"] = .string(namespace)
            object.json["metadata"] = metadata
        }
        return object
    }
}
