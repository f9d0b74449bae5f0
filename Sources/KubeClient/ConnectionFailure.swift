import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Turns what the HTTP stack throws into one sentence about the server: refused, not resolved,
/// not trusted, timed out, or cut off.
enum ConnectionFailure {
    static func describe(_ error: any Error, server: String, timeout: Duration) -> KubeError {
        if let error = error as? KubeError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .tlsHandshakeTimeout, .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
                return .unreachable(server: server, reason: "no connection within the connect timeout")
            case .deadlineExceeded, .readTimeout:
                return .timedOut(server: server, seconds: timeout.seconds)
            case .remoteConnectionClosed, .uncleanShutdown:
                return .connectionLost(server: server, reason: "the server closed the connection")
            case .invalidProxyResponse, .proxyAuthenticationRequired:
                return .unreachable(server: server, reason: "the proxy refused the connection (\(error))")
            default:
                return .connectionLost(server: server, reason: String(describing: error))
            }
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil || error.dnsAAAAError != nil {
                return .unreachable(server: server, reason: "the host name '\(error.host)' cannot be resolved")
            }
            if let first = error.connectionErrors.first {
                return .unreachable(server: server, reason: reason(first.error))
            }
            return .unreachable(server: server, reason: "no address to connect to")
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return .unreachable(server: server, reason: "no connection within the connect timeout")
        }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return .unreachable(server: server, reason: "the server's certificate is not valid for this address "
                + "(\(error.description)); set tls-server-name in the kubeconfig if the certificate names another host")
        }
        if let error = error as? NIOSSLError {
            let text = String(describing: error)
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return .unreachable(server: server, reason: "the server's certificate is not trusted (certificate verify failed); "
                    + "check certificate-authority or certificate-authority-data in the kubeconfig")
            }
            if text.contains("CERTIFICATE_REQUIRED") || text.contains("BAD_CERTIFICATE") || text.contains("ALERT") {
                return .unreachable(server: server, reason: "the TLS handshake failed: the server refused our client certificate "
                    + "or asked for one (\(text))")
            }
            return .unreachable(server: server, reason: "the TLS handshake failed (\(text))")
        }
        if let error = error as? IOError {
            let described = reason(error)
            return error.errnoCode == ECONNRESET || error.errnoCode == EPIPE
                ? .connectionLost(server: server, reason: described) : .unreachable(server: server, reason: described)
        }
        return .connectionLost(server: server, reason: String(describing: error))
    }

    private static func reason(_ error: any Error) -> String {
        guard let error = error as? IOError else {
            if let channel = error as? ChannelError, case .connectTimeout = channel { return "no connection within the connect timeout" }
            return String(describing: error)
        }
        switch error.errnoCode {
        case ECONNREFUSED: return "connection refused"
        case EHOSTUNREACH: return "no route to host"
        case ENETUNREACH: return "network is unreachable"
        case ETIMEDOUT: return "connection timed out"
        case ECONNRESET: return "connection reset by the server"
        default: return String(cString: strerror(error.errnoCode)).lowercased()
        }
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
