import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// The network probes (httpGet, tcpSocket, grpc), run by `tandem local-probe` inside the pod's
/// network namespace. Success and failure are judged as the kubelet judges them.
public enum NetworkProbe {
    /// The hidden subcommand that runs one probe.
    public static let commandName = "local-probe"

    /// The subcommand's arguments for a probe.
    static func arguments(for handler: ProbeSpec.Handler, podIP: String?, timeoutSeconds: Int) -> [String] {
        let defaultHost = podIP ?? "127.0.0.1"
        var arguments = ["--timeout", String(timeoutSeconds)]
        switch handler {
        case .exec: return []
        case .httpGet(let http):
            arguments += ["--kind", "http", "--host", http.host ?? defaultHost, "--port", String(http.port), "--path", http.path,
                          "--scheme", http.scheme]
            for header in http.headers { arguments += ["--header", header] }
        case .tcpSocket(let port, let host):
            arguments += ["--kind", "tcp", "--host", host ?? defaultHost, "--port", String(port)]
        case .grpc(let port, let service):
            arguments += ["--kind", "grpc", "--host", defaultHost, "--port", String(port)]
            if let service { arguments += ["--service", service] }
        }
        return arguments
    }

    /// Runs one probe; the message says what failed, or what answered.
    public static func run(kind: String, host: String, port: Int, path: String, scheme: String, headers: [String],
                           service: String?, timeoutSeconds: Int) async -> ProbeOutcome {
        let deadline = Date().addingTimeInterval(Double(max(1, timeoutSeconds)))
        do {
            switch kind {
            case "tcp":
                _ = try SocketConnection(host: host, port: port, deadline: deadline)
                return ProbeOutcome(success: true, message: "")
            case "grpc":
                return try GRPCHealthCheck(host: host, port: port, service: service ?? "", deadline: deadline).run()
            default:
                return await http(host: host, port: port, path: path, scheme: scheme, headers: headers, timeoutSeconds: timeoutSeconds)
            }
        } catch {
            return ProbeOutcome(success: false, message: error.message)
        }
    }

    /// An HTTP GET: any status from 200 to 399 is a success; HTTPS certificates are not checked,
    /// as the kubelet does not check them.
    static func http(host: String, port: Int, path: String, scheme: String, headers: [String], timeoutSeconds: Int) async -> ProbeOutcome {
        let url = "\(scheme.lowercased())://\(host.contains(":") ? "[\(host)]" : host):\(port)\(path.hasPrefix("/") ? path : "/" + path)"
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(Int64(timeoutSeconds)), read: .seconds(Int64(timeoutSeconds)))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let outcome = await get(client, url: url, host: host, port: port, headers: headers, timeoutSeconds: timeoutSeconds)
        try? await client.shutdown()
        return outcome
    }

    private static func get(_ client: HTTPClient, url: String, host: String, port: Int, headers: [String],
                            timeoutSeconds: Int) async -> ProbeOutcome {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "kube-probe/tandem")
        request.headers.add(name: "Accept", value: "*/*")
        for header in headers {
            guard let colon = header.firstIndex(of: ":") else { continue }
            request.headers.replaceOrAdd(name: String(header[..<colon]),
                                         value: header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        do {
            let response = try await client.execute(request, timeout: .seconds(Int64(timeoutSeconds)))
            let code = Int(response.status.code)
            if (200..<400).contains(code) { return ProbeOutcome(success: true, message: "HTTP probe succeeded with statuscode: \(code)") }
            return ProbeOutcome(success: false, message: "HTTP probe failed with statuscode: \(code)")
        } catch {
            return ProbeOutcome(success: false, message: "Get \"\(url)\": \(describe(error, host: host, port: port))")
        }
    }

    static func describe(_ error: any Error, host: String, port: Int) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") {
            return "dial tcp \(host):\(port): connect: connection refused"
        }
        return text
    }
}

extension Error {
    fileprivate var message: String { (self as? ProbeProblem)?.message ?? String(describing: self) }
}
