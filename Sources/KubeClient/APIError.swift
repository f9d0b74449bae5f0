import Foundation
import KubeModel
import TandemJSON

/// A `Status` the API server answered with: why a request failed, in its own words.
public struct APIStatus: Sendable, Hashable {
    public struct Cause: Sendable, Hashable {
        public var reason: String
        public var message: String
        /// The field, in the server's dotted form (`spec.template.spec.containers[0].image`,
        /// `.spec.replicas` for apply conflicts).
        public var field: String

        public init(reason: String, message: String, field: String) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    public var code: Int
    public var reason: String
    public var message: String
    public var kind: String?
    public var name: String?
    public var causes: [Cause]
    public var retryAfterSeconds: Int?

    public init(code: Int, reason: String, message: String, kind: String? = nil, name: String? = nil,
                causes: [Cause] = [], retryAfterSeconds: Int? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.kind = kind
        self.name = name
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// Reads a `Status` body; nil when the body is not one (a proxy's HTML page, say).
    public init?(json: JSONValue, httpStatus: Int) {
        guard json["kind"]?.string == "Status" else { return nil }
        code = json["code"]?.int ?? httpStatus
        reason = json["reason"]?.string ?? ""
        message = json["message"]?.string ?? ""
        kind = json[path: ["details", "kind"]]?.string
        name = json[path: ["details", "name"]]?.string
        retryAfterSeconds = json[path: ["details", "retryAfterSeconds"]]?.int
        causes = (json[path: ["details", "causes"]]?.array ?? []).map { cause in
            Cause(reason: cause["reason"]?.string ?? "", message: cause["message"]?.string ?? "", field: cause["field"]?.string ?? "")
        }
    }

    /// The field managers an apply conflicted with, from causes such as
    /// `conflict with "kubectl-edit" using apps/v1`.
    public var conflictingManagers: Set<String> {
        Set(causes.filter { $0.reason == "FieldManagerConflict" }.compactMap { cause in
            guard let start = cause.message.range(of: "conflict with \"")?.upperBound,
                  let end = cause.message[start...].firstIndex(of: "\"") else { return nil }
            return String(cause.message[start..<end])
        })
    }
}

/// What went wrong talking to the cluster, in one sentence a person can act on. Secrets (tokens,
/// keys) never appear in these messages.
public enum KubeError: Error, Sendable, CustomStringConvertible {
    /// No connection: refused, no route, name not resolved, TLS failed.
    case unreachable(server: String, reason: String)
    /// The server did not answer in time.
    case timedOut(server: String, seconds: Double)
    /// The connection broke before the answer was complete; the request may or may not have
    /// reached the server.
    case connectionLost(server: String, reason: String)
    /// The server answered with an error `Status` (or a bare error code).
    case api(request: String, status: APIStatus)
    /// The kubeconfig, or the in-cluster environment, does not say how to connect.
    case configuration(String)
    /// No kubeconfig file exists at any of the paths searched, and no service account either.
    case noKubeconfig(searched: [String])
    /// The kubeconfig sets no current-context and none was asked for; `contexts` are the ones
    /// it defines.
    case noContextChosen(contexts: [String])
    /// Credentials could not be had (an exec plugin failed, a token file is missing).
    case credentials(String)
    /// The server answered with something that is not what the API promises.
    case invalidResponse(request: String, reason: String)

    public var description: String {
        switch self {
        case .unreachable(let server, let reason): return "cannot reach \(server): \(reason)"
        case .timedOut(let server, let seconds): return "\(server) did not answer within \(Self.format(seconds)) seconds"
        case .connectionLost(let server, let reason): return "the connection to \(server) broke: \(reason)"
        case .api(let request, let status): return Self.describe(status, request: request)
        case .configuration(let message): return message
        case .noKubeconfig(let searched): return "no kubeconfig was found (looked for \(searched.joined(separator: ", ")))"
        case .noContextChosen(let contexts):
            return "the kubeconfig sets no current-context"
                + (contexts.isEmpty ? " and defines no contexts" : "; its contexts are \(contexts.joined(separator: ", "))")
        case .credentials(let message): return message
        case .invalidResponse(let request, let reason): return "unexpected answer to \(request): \(reason)"
        }
    }

    /// The API status, when the server answered with one.
    public var status: APIStatus? {
        if case .api(_, let status) = self { return status }
        return nil
    }

    public var isNotFound: Bool { status?.code == 404 }
    public var isConflict: Bool { status?.code == 409 }
    /// A watch or list from a resourceVersion the server no longer has.
    public var isGone: Bool { status?.code == 410 }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }

    static func describe(_ status: APIStatus, request: String) -> String {
        switch status.code {
        case 401:
            return "the cluster did not accept the credentials (401 Unauthorized): \(status.message)"
        case 403:
            return "not allowed (403 Forbidden): \(status.message)"
        case 409 where !status.causes.isEmpty && status.causes.allSatisfy({ $0.reason == "FieldManagerConflict" }):
            let fields = status.causes.map { "  \($0.field): \($0.message)" }.joined(separator: "\n")
            return "fields are owned by another manager (409 Conflict):\n\(fields)"
        case 422 where !status.causes.isEmpty:
            let fields = status.causes.map { "  \($0.field): \($0.message)" }.joined(separator: "\n")
            return "the cluster refused \(status.kind.map { "the \($0)" } ?? "the object")\(status.name.map { " \($0)" } ?? "") (422 Invalid):\n\(fields)"
        default:
            let message = status.message.isEmpty ? "no message" : status.message
            return "\(message) (\(status.code)\(status.reason.isEmpty ? "" : " \(status.reason)"), \(request))"
        }
    }
}
