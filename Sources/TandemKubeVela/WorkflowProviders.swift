import TandemJSON

/// What a workflow step may ask of the world outside it: KubeVela's providers (`vela/kube`,
/// `vela/http`, `vela/builtin`'s log) as one protocol. Where a workflow runs implements it over
/// the cluster's client and an HTTP client; Tandem's built-in steps (apply-object, read-object,
/// notification, webhook, request, ...) and steps written in CUE both go through it.
public protocol WorkflowProviders: Sendable {
    /// `vela/kube` apply: server-side apply of `object`; the live object afterwards.
    func apply(_ object: JSONValue) async throws -> JSONValue
    /// `vela/kube` read: the live object named by `object`'s apiVersion, kind and
    /// metadata.name (and namespace); nil when there is none.
    func read(_ object: JSONValue) async throws -> JSONValue?
    /// `vela/kube` list: the objects of a kind in `namespace` (every namespace when nil) that
    /// carry every label in `matchingLabels`.
    func list(apiVersion: String, kind: String, namespace: String?, matchingLabels: [String: String]) async throws -> [JSONValue]
    /// `vela/kube` delete: deletes the object named by `object`; deleting what is gone succeeds.
    func delete(_ object: JSONValue) async throws
    /// `vela/http` do: one HTTP request. A response of any status is a response; only a failure
    /// to get one (refused, timed out, bad TLS) throws.
    func http(_ request: WorkflowHTTPRequest) async throws -> WorkflowHTTPResponse
    /// `vela/builtin` log and message: a line the step leaves for the people watching.
    func log(step: String, _ message: String) async
}

public struct WorkflowHTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    public var timeout: Duration

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
                timeout: Duration = .seconds(30)) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body && lhs.timeout == rhs.timeout
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }
}

public struct WorkflowHTTPResponse: Sendable, Equatable {
    public var statusCode: Int
    public var headers: [String: [String]]
    public var body: [UInt8]

    public init(statusCode: Int, headers: [String: [String]] = [:], body: [UInt8] = []) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }
}
