import AsyncHTTPClient
import NIOCore
import NIOPosix

/// Why an HTTP request got no answer, in a few words (refused, timed out, no such host).
enum HTTPFailure {
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if [.deadlineExceeded, .readTimeout, .writeTimeout].contains(error) { return "no answer in time" }
            if error == .connectTimeout { return "the connection timed out" }
            if error == .remoteConnectionClosed { return "the server closed the connection" }
            if [.emptyHost, .invalidURL, .emptyScheme].contains(error) { return "the URL is not valid" }
            return "\(error)"
        }
        if error is NIOConnectionError { return "the connection was refused or the host is unknown" }
        if let error = error as? ChannelError, case .connectTimeout = error { return "the connection timed out" }
        if let error = error as? IOError { return error.description }
        return "\(error)"
    }
}
