import Foundation
import TandemJSON
import TandemModel
import TandemParsing

/// A kubeconfig, as kubectl reads it: several files merged (the first file that sets a cluster,
/// user or context name wins; the first that sets `current-context` chooses it), file paths in
/// each resolved against the directory of the file that names them.
public struct Kubeconfig: Sendable {
    public struct Cluster: Sendable {
        public var server: String
        public var certificateAuthority: String?
        public var certificateAuthorityData: [UInt8]?
        public var insecureSkipTLSVerify: Bool
        public var tlsServerName: String?
        public var proxyURL: String?
        public var disableCompression: Bool = false
        /// The cluster's `client.authentication.k8s.io/exec` extension, passed to exec plugins.
        public var execExtension: JSONValue?
    }

    public struct User: Sendable {
        public var clientCertificate: String?
        public var clientCertificateData: [UInt8]?
        public var clientKey: String?
        public var clientKeyData: [UInt8]?
        public var token: String?
        public var tokenFile: String?
        public var username: String?
        public var password: String?
        public var exec: ExecConfig?
        public var authProvider: String?
    }

    /// An exec credential plugin (`client.authentication.k8s.io`).
    public struct ExecConfig: Sendable, Hashable {
        public var apiVersion: String
        public var command: String
        public var args: [String]
        public var env: [Variable]
        public var provideClusterInfo: Bool
        public var interactiveMode: String
        /// True when the kubeconfig did not say (v1 requires it; v1beta1 defaults to IfAvailable).
        public var interactiveModeDefaulted: Bool
        public var installHint: String?

        public struct Variable: Sendable, Hashable {
            public var name: String
            public var value: String
        }

        public init(apiVersion: String, command: String, args: [String] = [], env: [Variable] = [], provideClusterInfo: Bool = false,
                    interactiveMode: String = "IfAvailable", interactiveModeDefaulted: Bool = false, installHint: String? = nil) {
            self.apiVersion = apiVersion
            self.command = command
            self.args = args
            self.env = env
            self.provideClusterInfo = provideClusterInfo
            self.interactiveMode = interactiveMode
            self.interactiveModeDefaulted = interactiveModeDefaulted
            self.installHint = installHint
        }
    }

    public struct Context: Sendable {
        public var cluster: String
        public var user: String
        public var namespace: String?
    }

    public var clusters: [String: Cluster] = [:]
    public var users: [String: User] = [:]
    public var contexts: [String: Context] = [:]
    public var currentContext: String?
    /// The files read, in order.
    public var files: [String] = []

    public init() {}

    /// The files to read: `--kubeconfig` alone when given, else the paths in `KUBECONFIG`, else
    /// `~/.kube/config`.
    public static func paths(explicit: String?, environment: [String: String]) -> [String] {
        if let explicit { return [explicit] }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            var seen: Set<String> = []
            return list.split(separator: ":").map(String.init).filter { !$0.isEmpty && seen.insert($0).inserted }
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return [home + "/.kube/config"]
    }

    /// Loads and merges `paths`. A file named by `--kubeconfig` must exist; files from
    /// `KUBECONFIG` that do not exist are skipped, as kubectl skips them.
    public static func load(paths: [String], requireAll: Bool = false) throws -> Kubeconfig {
        var config = Kubeconfig()
        for path in paths {
            guard FileManager.default.fileExists(atPath: path) else {
                if requireAll { throw KubeError.configuration("the kubeconfig \(path) does not exist") }
                continue
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KubeError.configuration("the kubeconfig \(path) cannot be read")
            }
            try config.merge(parse(Array(data), file: path))
        }
        return config
    }

    /// Adds what `other` sets and this does not yet.
    mutating func merge(_ other: Kubeconfig) {
        for (name, cluster) in other.clusters where clusters[name] == nil { clusters[name] = cluster }
        for (name, user) in other.users where users[name] == nil { users[name] = user }
        for (name, context) in other.contexts where contexts[name] == nil { contexts[name] = context }
        if currentContext == nil || currentContext == "" { currentContext = other.currentContext }
        files += other.files
    }

    /// One kubeconfig file.
    public static func parse(_ bytes: [UInt8], file: String) throws -> Kubeconfig {
        let (documents, problems) = YAMLReader().read(bytes, file: file)
        if let problem = problems.first(where: \.isError) {
            throw KubeError.configuration("the kubeconfig \(file) is not valid YAML: \(problem)")
        }
        let root = documents.first?.json ?? .object(JSONObject())
        let directory = (file as NSString).deletingLastPathComponent
        func resolve(_ path: String?) -> String? {
            guard let path, !path.isEmpty else { return nil }
            if path.hasPrefix("/") { return path }
            if path.hasPrefix("~/") { return NSHomeDirectory() + path.dropFirst() }
            return directory.isEmpty ? path : directory + "/" + path
        }
        func base64(_ value: JSONValue?, _ what: String) throws -> [UInt8]? {
            guard let text = value?.string, !text.isEmpty else { return nil }
            guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                throw KubeError.configuration("the kubeconfig \(file) has \(what) that is not valid base64")
            }
            return Array(data)
        }
        var config = Kubeconfig()
        config.files = [file]
        config.currentContext = root["current-context"]?.string
        for entry in root["clusters"]?.array ?? [] {
            guard let name = entry["name"]?.string, let cluster = entry["cluster"] else { continue }
            config.clusters[name] = Cluster(
                server: cluster["server"]?.string ?? "",
                certificateAuthority: resolve(cluster["certificate-authority"]?.string),
                certificateAuthorityData: try base64(cluster["certificate-authority-data"], "certificate-authority-data"),
                insecureSkipTLSVerify: cluster["insecure-skip-tls-verify"]?.bool ?? false,
                tlsServerName: cluster["tls-server-name"]?.string,
                proxyURL: cluster["proxy-url"]?.string,
                disableCompression: cluster["disable-compression"]?.bool ?? false,
                execExtension: (cluster["extensions"]?.array ?? [])
                    .first { $0["name"]?.string == "client.authentication.k8s.io/exec" }?["extension"])
        }
        for entry in root["users"]?.array ?? [] {
            guard let name = entry["name"]?.string else { continue }
            let user = entry["user"] ?? .object(JSONObject())
            var exec: ExecConfig?
            if let plugin = user["exec"], let command = plugin["command"]?.string {
                // A command with a slash is a path, resolved like the file's other paths; a bare
                // name is looked up on PATH.
                exec = ExecConfig(
                    apiVersion: plugin["apiVersion"]?.string ?? "client.authentication.k8s.io/v1",
                    command: command.contains("/") ? resolve(command) ?? command : command,
                    args: plugin["args"]?.strings ?? [],
                    env: (plugin["env"]?.array ?? []).compactMap { variable in
                        guard let name = variable["name"]?.string else { return nil }
                        return ExecConfig.Variable(name: name, value: variable["value"]?.string ?? "")
                    },
                    provideClusterInfo: plugin["provideClusterInfo"]?.bool ?? false,
                    interactiveMode: plugin["interactiveMode"]?.string ?? "IfAvailable",
                    interactiveModeDefaulted: plugin["interactiveMode"]?.string == nil,
                    installHint: plugin["installHint"]?.string)
            }
            config.users[name] = User(
                clientCertificate: resolve(user["client-certificate"]?.string),
                clientCertificateData: try base64(user["client-certificate-data"], "client-certificate-data"),
                clientKey: resolve(user["client-key"]?.string),
                clientKeyData: try base64(user["client-key-data"], "client-key-data"),
                token: user["token"]?.string,
                tokenFile: resolve(user["tokenFile"]?.string),
                username: user["username"]?.string,
                password: user["password"]?.string,
                exec: exec,
                authProvider: user["auth-provider"]?["name"]?.string)
        }
        for entry in root["contexts"]?.array ?? [] {
            guard let name = entry["name"]?.string, let context = entry["context"] else { continue }
            config.contexts[name] = Context(cluster: context["cluster"]?.string ?? "", user: context["user"]?.string ?? "",
                                            namespace: context["namespace"]?.string)
        }
        return config
    }
}
