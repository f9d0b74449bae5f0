import KubeModel
import TandemJSON

/// One request to the API server, as a value: built without I/O, so that every request Tandem
/// makes can be read and tested without a network. The transport sends it.
public struct KubeRequest: Sendable, Hashable, CustomStringConvertible {
    public enum Method: String, Sendable, Hashable {
        case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"
    }

    public var method: Method
    /// The path, such as `/apis/apps/v1/namespaces/shop/deployments/web`.
    public var path: String
    public var query: [QueryItem]
    public var headers: [Header]
    public var body: [UInt8]?
    /// A watch: the response is a stream of events that stays open.
    public var isWatch: Bool

    public struct QueryItem: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(_ method: Method, _ path: String, query: [QueryItem] = [], headers: [Header] = [], body: [UInt8]? = nil,
                isWatch: Bool = false) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.isWatch = isWatch
    }

    /// The path with its query, percent-encoded.
    public var target: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
    }

    /// `PATCH /apis/apps/v1/...?fieldManager=tandem`: for messages and logs (never a body).
    public var description: String { "\(method.rawValue) \(target)" }

    static func encode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// What Tandem asks of server-side apply. The field manager and dry run are the client's
/// (`KubeClient.managed(by:)`, `dryRunning()`), the same for every request it sends.
public struct ApplyOptions: Sendable, Hashable {
    /// Take fields another manager owns, instead of failing with a conflict.
    public var force: Bool
    /// Refuse unknown and duplicate fields (`fieldValidation=Strict`).
    public var strict: Bool

    public init(force: Bool = false, strict: Bool = true) {
        self.force = force
        self.strict = strict
    }
}

/// How a delete reaches what the object owns.
public enum PropagationPolicy: String, Sendable {
    case foreground = "Foreground", background = "Background", orphan = "Orphan"
}

/// The requests Tandem makes, built from resources and objects.
public enum KubeRequests {
    public static func version() -> KubeRequest { KubeRequest(.get, "/version") }

    public static func get(_ resource: APIResource, namespace: String?, name: String) -> KubeRequest {
        KubeRequest(.get, resource.path(namespace: namespace, name: name))
    }

    /// A list, in one namespace or (nil) across all, filtered by a label and a field selector.
    public static func list(_ resource: APIResource, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil,
                            limit: Int? = nil, continue token: String? = nil) -> KubeRequest {
        var query: [KubeRequest.QueryItem] = []
        if let labelSelector, !labelSelector.isEmpty { query.append(.init("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(.init("fieldSelector", fieldSelector)) }
        if let limit { query.append(.init("limit", String(limit))) }
        if let token { query.append(.init("continue", token)) }
        return KubeRequest(.get, resource.path(namespace: namespace), query: query)
    }

    /// A watch from `resourceVersion`, with bookmarks so that a quiet watch can still resume.
    public static func watch(_ resource: APIResource, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil,
                             resourceVersion: String?, timeoutSeconds: Int = 290) -> KubeRequest {
        var query: [KubeRequest.QueryItem] = [.init("watch", "1"), .init("allowWatchBookmarks", "true"),
                                              .init("timeoutSeconds", String(timeoutSeconds))]
        if let labelSelector, !labelSelector.isEmpty { query.append(.init("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(.init("fieldSelector", fieldSelector)) }
        if let resourceVersion { query.append(.init("resourceVersion", resourceVersion)) }
        return KubeRequest(.get, resource.path(namespace: namespace), query: query, isWatch: true)
    }

    /// Server-side apply of the whole object (`application/apply-patch+yaml`; JSON is YAML); the
    /// client sending it names its field manager.
    public static func apply(_ resource: APIResource, _ object: KubeObject, options: ApplyOptions,
                             subresource: String? = nil) -> KubeRequest {
        var query: [KubeRequest.QueryItem] = []
        if options.force { query.append(.init("force", "true")) }
        if options.strict { query.append(.init("fieldValidation", "Strict")) }
        var path = resource.path(namespace: resource.namespaced ? object.namespace : nil, name: object.name)
        if let subresource { path += "/" + subresource }
        return KubeRequest(.patch, path, query: query, headers: [.init("Content-Type", "application/apply-patch+yaml")],
                           body: JSONWriter.compactBytes(object.json))
    }

    public static func delete(_ resource: APIResource, namespace: String?, name: String,
                              propagation: PropagationPolicy = .background) -> KubeRequest {
        let options: JSONObject = ["apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": .string(propagation.rawValue)]
        return KubeRequest(.delete, resource.path(namespace: namespace, name: name),
                           headers: [.init("Content-Type", "application/json")], body: JSONWriter.compactBytes(.object(options)))
    }

    /// Creates an object (an Event, a Lease).
    public static func create(_ resource: APIResource, _ object: KubeObject) -> KubeRequest {
        KubeRequest(.post, resource.path(namespace: resource.namespaced ? object.namespace : nil),
                    headers: [.init("Content-Type", "application/json")], body: JSONWriter.compactBytes(object.json))
    }

    /// Replaces an object (optimistic concurrency: its `metadata.resourceVersion` must be current).
    public static func replace(_ resource: APIResource, _ object: KubeObject, subresource: String? = nil) -> KubeRequest {
        var path = resource.path(namespace: resource.namespaced ? object.namespace : nil, name: object.name)
        if let subresource { path += "/" + subresource }
        return KubeRequest(.put, path, headers: [.init("Content-Type", "application/json")], body: JSONWriter.compactBytes(object.json))
    }

    /// A JSON merge patch (`application/merge-patch+json`), for removing a finalizer.
    public static func mergePatch(_ resource: APIResource, namespace: String?, name: String, _ patch: JSONValue) -> KubeRequest {
        KubeRequest(.patch, resource.path(namespace: namespace, name: name),
                    headers: [.init("Content-Type", "application/merge-patch+json")], body: JSONWriter.compactBytes(patch))
    }
}
