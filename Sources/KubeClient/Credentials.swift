import Foundation

/// Where a request's credentials come from.
public enum CredentialSource: Sendable {
    case none
    case token(String)
    /// A file holding a token, re-read when it changes (service account tokens rotate).
    case tokenFile(String)
    case basic(username: String, password: String)
    case exec(ExecCredentialPlugin)
}

/// What a request presents: an `Authorization` header and, from an exec plugin, a client
/// certificate. Never printed: its description hides the values.
public struct Credential: Sendable, Hashable, CustomStringConvertible {
    public var authorization: String?
    public var identity: ClientIdentity?

    public var description: String {
        authorization == nil && identity == nil ? "no credentials" : "credentials (hidden)"
    }
}

/// Hands out the current credential, running an exec plugin or reading a token file only when
/// what it holds has expired, changed, or been refused by the server.
public actor CredentialStore {
    public let source: CredentialSource
    private var cached: Credential?
    private var expiry: Date?
    private var tokenFileStamp: FileStamp?
    private var pending: Task<ExecCredentialPlugin.Credential, any Error>?

    public init(_ source: CredentialSource) {
        self.source = source
    }

    /// Whether asking again after a 401 can give a different credential.
    public nonisolated var isRefreshable: Bool {
        switch source {
        case .exec, .tokenFile: return true
        case .none, .token, .basic: return false
        }
    }

    public func current() async throws -> Credential {
        switch source {
        case .none:
            return Credential()
        case .token(let token):
            return Credential(authorization: "Bearer \(token)")
        case .basic(let username, let password):
            let encoded = Data("\(username):\(password)".utf8).base64EncodedString()
            return Credential(authorization: "Basic \(encoded)")
        case .tokenFile(let path):
            let stamp = FileStamp(path: path)
            if let cached, stamp == tokenFileStamp { return cached }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeError.credentials("the token file \(path) cannot be read")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw KubeError.credentials("the token file \(path) is empty") }
            let credential = Credential(authorization: "Bearer \(token)")
            cached = credential
            tokenFileStamp = stamp
            return credential
        case .exec(let plugin):
            if let cached, expiry.map({ $0.timeIntervalSinceNow > 10 }) ?? true { return cached }
            // Concurrent requests share one run of the plugin.
            if let pending {
                let result = try await pending.value
                return Credential(authorization: result.token.map { "Bearer \($0)" }, identity: result.identity)
            }
            let task = Task { try await plugin.run() }
            pending = task
            defer { pending = nil }
            let result = try await task.value
            let credential = Credential(authorization: result.token.map { "Bearer \($0)" }, identity: result.identity)
            cached = credential
            expiry = result.expiry
            return credential
        }
    }

    /// Forgets `refused` (the server answered 401 to it), so that the next `current()` asks anew.
    public func invalidate(_ refused: Credential) {
        guard cached == refused else { return }
        cached = nil
        expiry = nil
        tokenFileStamp = nil
    }
}

/// A file's modification time and size: a token file is re-read when either changes.
struct FileStamp: Equatable {
    var modified: Date?
    var size: Int?

    init(path: String) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        modified = attributes?[.modificationDate] as? Date
        size = (attributes?[.size] as? NSNumber)?.intValue
    }
}
