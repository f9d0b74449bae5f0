import Foundation
import TandemJSON

/// Everything needed to talk to one cluster: where it is, how to trust it, who we are, and the
/// namespace the context chose. Resolved from kubeconfig files as kubectl resolves them, or from
/// the service account a pod runs as.
public struct ClusterConnection: Sendable {
    /// `https://10.0.0.1:6443`, possibly with a path prefix behind a proxy.
    public var server: String
    public var contextName: String?
    public var clusterName: String?
    public var userName: String?
    /// The context's namespace; nil when it names none.
    public var namespace: String?
    public var tls: TLSSettings
    public var credentials: CredentialSource
    public var proxyURL: String?

    public init(server: String, contextName: String? = nil, clusterName: String? = nil, userName: String? = nil,
                namespace: String? = nil, tls: TLSSettings = TLSSettings(), credentials: CredentialSource = .none,
                proxyURL: String? = nil) {
        self.server = server
        self.contextName = contextName
        self.clusterName = clusterName
        self.userName = userName
        self.namespace = namespace
        self.tls = tls
        self.credentials = credentials
        self.proxyURL = proxyURL
    }

    /// The service account's files inside a pod.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Resolves the connection as kubectl does: `--kubeconfig`, else the files in `KUBECONFIG`,
    /// else `~/.kube/config`; the context from `--context` or `current-context`. With no
    /// kubeconfig at all, inside a pod, the pod's service account.
    public static func resolve(kubeconfig explicit: String? = nil, context: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               serviceAccountDirectory: String = serviceAccountDirectory) throws -> ClusterConnection {
        let paths = Kubeconfig.paths(explicit: explicit, environment: environment)
        let config = try Kubeconfig.load(paths: paths, requireAll: explicit != nil)
        if config.contexts.isEmpty && config.clusters.isEmpty, context == nil,
           let inCluster = try inCluster(environment: environment, directory: serviceAccountDirectory) {
            return inCluster
        }
        var connection = try from(config, context: context, searched: paths)
        // Inside a pod, a context without a namespace takes the pod's, as kubectl does.
        if connection.namespace == nil,
           (try? inCluster(environment: environment, directory: serviceAccountDirectory)) != nil {
            connection.namespace = podNamespace(environment: environment, directory: serviceAccountDirectory)
        }
        return connection
    }

    /// The connection a context of `config` describes.
    public static func from(_ config: Kubeconfig, context requested: String?, searched paths: [String] = []) throws -> ClusterConnection {
        guard !config.files.isEmpty else { throw KubeError.noKubeconfig(searched: paths) }
        let where_ = "in \(config.files.joined(separator: ", "))"
        guard let contextName = requested ?? config.currentContext.flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw KubeError.noContextChosen(contexts: config.contexts.keys.sorted())
        }
        guard let context = config.contexts[contextName] else {
            let names = config.contexts.keys.sorted()
            throw KubeError.configuration("there is no context '\(contextName)' \(where_)"
                + (names.isEmpty ? "" : "; the contexts are \(names.joined(separator: ", "))"))
        }
        guard let cluster = config.clusters[context.cluster] else {
            throw KubeError.configuration("the context '\(contextName)' names the cluster '\(context.cluster)', which is not defined \(where_)")
        }
        guard !cluster.server.isEmpty else {
            throw KubeError.configuration("the cluster '\(context.cluster)' has no server \(where_)")
        }
        let user = config.users[context.user]
        if !context.user.isEmpty, user == nil {
            throw KubeError.configuration("the context '\(contextName)' names the user '\(context.user)', which is not defined \(where_)")
        }
        var server = cluster.server
        if !server.contains("://") { server = "https://" + server }
        while server.hasSuffix("/") { server.removeLast() }
        guard let url = URL(string: server), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw KubeError.configuration("the cluster '\(context.cluster)' has a server that is not an http(s) URL: \(cluster.server)")
        }

        var tls = TLSSettings(insecureSkipVerify: cluster.insecureSkipTLSVerify, serverName: cluster.tlsServerName)
        tls.certificateAuthority = try cluster.certificateAuthorityData
            ?? read(cluster.certificateAuthority, "the certificate authority of the cluster '\(context.cluster)'")
        tls.clientCertificate = try user?.clientCertificateData
            ?? read(user?.clientCertificate, "the client certificate of the user '\(context.user)'")
        tls.clientKey = try user?.clientKeyData ?? read(user?.clientKey, "the client key of the user '\(context.user)'")
        if (tls.clientCertificate == nil) != (tls.clientKey == nil) {
            throw KubeError.configuration("the user '\(context.user)' has a client "
                + (tls.clientKey == nil ? "certificate but no key" : "key but no certificate"))
        }

        return ClusterConnection(
            server: server, contextName: contextName, clusterName: context.cluster, userName: context.user,
            namespace: context.namespace.flatMap { $0.isEmpty ? nil : $0 }, tls: tls,
            credentials: try credentials(of: user, named: context.user, cluster: cluster, tls: tls),
            proxyURL: cluster.proxyURL.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// kubectl's precedence: a token file, then a token; a client certificate alone; then an
    /// exec plugin; then a username and password.
    private static func credentials(of user: Kubeconfig.User?, named name: String, cluster: Kubeconfig.Cluster,
                                    tls: TLSSettings) throws -> CredentialSource {
        guard let user else { return .none }
        let token = user.token.flatMap { $0.isEmpty ? nil : $0 }
        if (token != nil || user.tokenFile != nil), user.username != nil || user.password != nil {
            throw KubeError.configuration("the user '\(name)' sets both a token and a username and password; keep one")
        }
        if let tokenFile = user.tokenFile { return .tokenFile(tokenFile) }
        if let token { return .token(token) }
        if tls.clientCertificate != nil { return .none }
        if let exec = user.exec {
            guard exec.apiVersion != "client.authentication.k8s.io/v1" || !exec.interactiveModeDefaulted else {
                throw KubeError.configuration("the exec credential plugin of the user '\(name)' must set interactiveMode "
                    + "(Never, IfAvailable or Always) with apiVersion client.authentication.k8s.io/v1")
            }
            // The cluster as kubectl describes it to plugins, in its order; the CA inlined.
            var info: JSONObject = ["server": .string(cluster.server)]
            if let serverName = cluster.tlsServerName, !serverName.isEmpty { info.append("tls-server-name", .string(serverName)) }
            if cluster.insecureSkipTLSVerify { info.append("insecure-skip-tls-verify", true) }
            if let authority = tls.certificateAuthority {
                info.append("certificate-authority-data", .string(Data(authority).base64EncodedString()))
            }
            if let proxy = cluster.proxyURL, !proxy.isEmpty { info.append("proxy-url", .string(proxy)) }
            if cluster.disableCompression { info.append("disable-compression", true) }
            info.append("config", cluster.execExtension ?? .null)
            return .exec(ExecCredentialPlugin(config: exec, cluster: .object(info)))
        }
        if let username = user.username, let password = user.password { return .basic(username: username, password: password) }
        if let provider = user.authProvider {
            throw KubeError.configuration("the user '\(name)' uses the auth-provider '\(provider)', which kubectl no longer "
                + "supports either; use an exec credential plugin (for GKE, gke-gcloud-auth-plugin; for AKS, kubelogin)")
        }
        return .none
    }

    private static func read(_ path: String?, _ what: String) throws -> [UInt8]? {
        guard let path else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeError.configuration("\(what) is the file \(path), which cannot be read")
        }
        return Array(data)
    }

    /// `POD_NAMESPACE`, else the service account's namespace file.
    static func podNamespace(environment: [String: String], directory: String) -> String? {
        if let namespace = environment["POD_NAMESPACE"], !namespace.isEmpty { return namespace }
        return FileManager.default.contents(atPath: directory + "/namespace")
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The pod's own service account, when running in a cluster (`KUBERNETES_SERVICE_HOST`).
    public static func inCluster(environment: [String: String],
                                 directory: String = serviceAccountDirectory) throws -> ClusterConnection? {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
              let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty else { return nil }
        let tokenPath = directory + "/token"
        guard FileManager.default.fileExists(atPath: tokenPath) else { return nil }
        let namespace = podNamespace(environment: environment, directory: directory)
        let authority = FileManager.default.contents(atPath: directory + "/ca.crt").map(Array.init)
        let address = host.contains(":") ? "[\(host)]" : host
        return ClusterConnection(server: "https://\(address):\(port)", contextName: nil, namespace: namespace,
                                 tls: TLSSettings(certificateAuthority: authority), credentials: .tokenFile(tokenPath))
    }
}
