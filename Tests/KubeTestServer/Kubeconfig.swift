import TandemJSON

/// The kubeconfig pointing at a test server.
enum Kubeconfig {
    static func text(server: String, user: KubeTestServer.KubeconfigUser, certificateAuthorityPath: String?,
                     namespace: String) -> String {
        var cluster = "    server: \(quoted(server))\n"
        if let certificateAuthorityPath {
            cluster += "    certificate-authority: \(quoted(certificateAuthorityPath))\n"
        } else if server.hasPrefix("https:") {
            // No CA given for an HTTPS server: the client cannot verify it, so it does not try.
            cluster += "    insecure-skip-tls-verify: true\n"
        }
        let credentials: String
        switch user {
        case .anonymous: credentials = "  user: {}\n"
        case .token(let token): credentials = "  user:\n    token: \(quoted(token))\n"
        case .clientCertificate(let certificate, let key):
            credentials = "  user:\n    client-certificate: \(quoted(certificate))\n    client-key: \(quoted(key))\n"
        }
        return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kube-test-server
          cluster:
        \(cluster)users:
        - name: kube-test-server
        \(credentials)contexts:
        - name: kube-test-server
          context:
            cluster: kube-test-server
            user: kube-test-server
            namespace: \(quoted(namespace))
        current-context: kube-test-server
        preferences: {}

        """
    }

    /// A YAML double-quoted scalar (JSON string syntax).
    private static func quoted(_ text: String) -> String {
        var output = ""
        JSONWriter.appendQuoted(text, into: &output)
        return output
    }
}
