import Foundation
import NIOSSL

/// How the connection to the server is secured, from the kubeconfig's cluster and user entries.
public struct TLSSettings: Sendable, Hashable {
    /// PEM certificates to trust instead of the system's (`certificate-authority[-data]`).
    public var certificateAuthority: [UInt8]?
    /// PEM client certificate and key (`client-certificate[-data]`, `client-key[-data]`).
    public var clientCertificate: [UInt8]?
    public var clientKey: [UInt8]?
    /// Skip server verification: only when the kubeconfig says `insecure-skip-tls-verify: true`.
    public var insecureSkipVerify: Bool
    /// The name to verify the server's certificate against (`tls-server-name`).
    public var serverName: String?

    public init(certificateAuthority: [UInt8]? = nil, clientCertificate: [UInt8]? = nil, clientKey: [UInt8]? = nil,
                insecureSkipVerify: Bool = false, serverName: String? = nil) {
        self.certificateAuthority = certificateAuthority
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.insecureSkipVerify = insecureSkipVerify
        self.serverName = serverName
    }

    /// NIO's configuration, with `identity` (a client certificate and key from an exec plugin)
    /// taking the place of the kubeconfig's when given.
    func configuration(identity: ClientIdentity? = nil) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if insecureSkipVerify {
            configuration.certificateVerification = .none
        } else if let certificateAuthority {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMBytes(certificateAuthority)
            } catch {
                throw KubeError.configuration("the certificate authority is not a PEM certificate")
            }
            guard !certificates.isEmpty else {
                throw KubeError.configuration("the certificate authority holds no certificate")
            }
            configuration.trustRoots = .certificates(certificates)
        }
        guard let certificate = identity?.certificate ?? clientCertificate,
              let key = identity?.key ?? clientKey else { return configuration }
        do {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
        } catch {
            throw KubeError.configuration("the client certificate is not a PEM certificate")
        }
        do {
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
        } catch {
            throw KubeError.configuration("the client key is not a PEM private key")
        }
        return configuration
    }
}

/// A client certificate and key, PEM.
public struct ClientIdentity: Sendable, Hashable {
    public var certificate: [UInt8]
    public var key: [UInt8]
}
