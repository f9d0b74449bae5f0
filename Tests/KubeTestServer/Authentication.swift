import Foundation
import NIOSSL

/// Who a request comes from: a verified client certificate's Common Name, a known bearer
/// token's user, or `system:anonymous` when the server takes anonymous requests.
struct Authenticator: Sendable {
    let tokens: [String: String]
    let verifiesClientCertificates: Bool

    var allowsAnonymous: Bool { tokens.isEmpty && !verifiesClientCertificates }

    /// nil: the request is refused with 401.
    func user(authorization: String?, certificateCommonName: String?) -> String? {
        if let certificateCommonName, verifiesClientCertificates { return certificateCommonName }
        if let authorization, authorization.lowercased().hasPrefix("bearer "), !tokens.isEmpty {
            let token = String(authorization.dropFirst("bearer ".count)).trimmingSpaces()
            return tokens[token]
        }
        return allowsAnonymous ? "system:anonymous" : nil
    }
}

enum TLSSetup {
    /// The server's TLS context: its certificate chain and key, and when a client CA is given,
    /// client certificates verified against it if presented (the apiserver's
    /// `VerifyClientCertIfGiven`), so that token users can connect without one.
    static func context(_ files: KubeTestServer.TLSFiles) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(files.certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: files.privateKeyPath, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        if let ca = files.clientCAPath {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
            configuration.certificateVerification = .optionalVerification
            configuration.sendCANameList = true
        }
        return try NIOSSLContext(configuration: configuration)
    }

    static func commonName(_ certificate: NIOSSLCertificate) -> String? {
        certificate.subjectName.last { $0.type == .commonName }?.value
    }
}
