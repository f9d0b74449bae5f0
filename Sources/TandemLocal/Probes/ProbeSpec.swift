import TandemJSON

/// A probe as the kubelet reads it: one handler and its timings (Kubernetes' defaults where the
/// rendered probe leaves one out).
public struct ProbeSpec: Codable, Sendable, Hashable {
    public enum Handler: Codable, Sendable, Hashable {
        case exec([String])
        case httpGet(HTTPGet)
        case tcpSocket(port: Int, host: String?)
        case grpc(port: Int, service: String?)
    }

    public struct HTTPGet: Codable, Sendable, Hashable {
        public var path: String
        public var port: Int
        public var host: String?
        public var scheme: String
        public var headers: [String]
    }

    public var handler: Handler
    public var initialDelaySeconds: Int
    public var periodSeconds: Int
    public var timeoutSeconds: Int
    public var successThreshold: Int
    public var failureThreshold: Int

    /// Reads a probe of a container; a named port is looked up in `ports` (name → number).
    /// Returns the reason when the probe cannot be run.
    public static func read(_ json: JSONValue, ports: [String: Int]) -> Result<ProbeSpec, ProbeProblem> {
        func port(_ value: JSONValue?) -> Result<Int, ProbeProblem> {
            if let number = value?.int { return .success(number) }
            if let name = value?.string {
                if let number = Int(name) { return .success(number) }
                if let number = ports[name] { return .success(number) }
                return .failure(ProbeProblem("its port '\(name)' names no port of the container"))
            }
            return .failure(ProbeProblem("it has no port"))
        }
        let handler: Handler
        if let exec = json["exec"] {
            handler = .exec(exec["command"]?.strings ?? [])
        } else if let http = json["httpGet"] {
            switch port(http["port"]) {
            case .failure(let problem): return .failure(problem)
            case .success(let number):
                let headers = (http["httpHeaders"]?.array ?? []).compactMap { header -> String? in
                    guard let name = header["name"]?.string else { return nil }
                    return "\(name): \(header["value"]?.string ?? "")"
                }
                handler = .httpGet(HTTPGet(path: http["path"]?.string ?? "/", port: number, host: http["host"]?.string,
                                           scheme: (http["scheme"]?.string ?? "HTTP").uppercased(), headers: headers))
            }
        } else if let tcp = json["tcpSocket"] {
            switch port(tcp["port"]) {
            case .failure(let problem): return .failure(problem)
            case .success(let number): handler = .tcpSocket(port: number, host: tcp["host"]?.string)
            }
        } else if let grpc = json["grpc"] {
            guard let number = grpc["port"]?.int else { return .failure(ProbeProblem("its grpc port is not a number")) }
            handler = .grpc(port: number, service: grpc["service"]?.string)
        } else {
            return .failure(ProbeProblem("it has no handler (exec, httpGet, tcpSocket or grpc)"))
        }
        return .success(ProbeSpec(
            handler: handler, initialDelaySeconds: json["initialDelaySeconds"]?.int ?? 0,
            periodSeconds: max(1, json["periodSeconds"]?.int ?? 10), timeoutSeconds: max(1, json["timeoutSeconds"]?.int ?? 1),
            successThreshold: max(1, json["successThreshold"]?.int ?? 1), failureThreshold: max(1, json["failureThreshold"]?.int ?? 3)))
    }

    /// `exec [cat /tmp/healthy]`, `http-get http://:8080/healthz`, as kubectl describe shows probes.
    public var summary: String {
        switch handler {
        case .exec(let command): return "exec [\(command.joined(separator: " "))]"
        case .httpGet(let http): return "http-get \(http.scheme.lowercased())://\(http.host ?? ""):\(http.port)\(http.path)"
        case .tcpSocket(let port, let host): return "tcp-socket \(host ?? ""):\(port)"
        case .grpc(let port, let service): return "grpc <pod>:\(port) \(service ?? "")"
        }
    }
}

public struct ProbeProblem: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Liveness, readiness or startup.
public enum ProbeKind: String, Codable, Sendable, Hashable, CaseIterable {
    case startup, liveness, readiness

    /// `Liveness`, as the kubelet's event messages start.
    public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}
