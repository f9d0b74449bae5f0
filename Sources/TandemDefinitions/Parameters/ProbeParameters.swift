import TandemJSON
import TandemModel

/// The schema of liveness, readiness and startup probes: exactly one handler, and timings that
/// are always written out with Kubernetes' defaults.
package enum ProbeParameters {
    package enum Kind: String, Sendable {
        case liveness, readiness, startup
    }

    package static func schema(_ kind: Kind) -> Schema {
        let purpose: String
        switch kind {
        case .liveness: purpose = "Restarts the container when it fails."
        case .readiness: purpose = "Takes the pod out of service endpoints while it fails."
        case .startup: purpose = "Holds back the other probes (and, for a native sidecar, the main containers) until it succeeds."
        }
        var checks: [Schema.Check] = []
        if kind != .readiness {
            checks.append { probe, scope in
                if let threshold = probe["successThreshold"]?.int, threshold != 1 {
                    scope.error("a \(kind.rawValue) probe must have successThreshold 1, not \(threshold)",
                                at: ["successThreshold"], code: .invalidThreshold,
                                hint: "Kubernetes accepts only 1 here; remove the field")
                }
            }
        }
        var properties = handlers + timings
        if kind != .readiness, let index = properties.firstIndex(where: { $0.name == "successThreshold" }) {
            // What the check says, for editors: Kubernetes takes only 1 here.
            properties[index].schema.editorConstraints = ["maximum": 1]
            properties[index].schema.description += " Must be 1 for a \(kind.rawValue) probe."
        }
        return .object("A \(kind.rawValue) probe. \(purpose)", properties, noun: "a probe",
                       exactlyOneOf: [["exec", "httpGet", "tcpSocket", "grpc"]],
                       checks: checks)
    }

    static let handlers: [Property] = [
        .optional("exec", .object("Runs a command in the container; exit code 0 is success.", [
            .required("command", .array(of: .string(), "The command and its arguments.", minItems: 1)),
        ])),
        .optional("httpGet", .object("Sends an HTTP GET; a status from 200 to 399 is success.", [
            .optional("path", .string("Path of the request, from '/'.", format: .absolutePath)),
            .required("port", .port("Port number or container port name.")),
            .optional("host", .string("Host to connect to (default: the pod IP).")),
            .optional("scheme", .oneOf(["HTTP", "HTTPS"], "HTTP or HTTPS (default HTTP).")),
            .optional("httpHeaders", .array(of: .object("A request header.", [
                .required("name", .string("Header name.", format: .nonEmpty)),
                .required("value", .string("Header value.")),
            ]), "Extra request headers.")),
        ])),
        .optional("tcpSocket", .object("Opens a TCP connection; success when it connects.", [
            .required("port", .port("Port number or container port name.")),
            .optional("host", .string("Host to connect to (default: the pod IP).")),
        ])),
        .optional("grpc", .object("Calls the gRPC health checking protocol.", [
            .required("port", .integer("Port number.", range: 1...65535)),
            .optional("service", .string("Service name sent in the health check request.")),
        ])),
    ]

    static let timings: [Property] = [
        .optional("initialDelaySeconds", .integer("Seconds after the container starts before the first probe.", range: 0...Int(Int32.max), default: 0)),
        .optional("periodSeconds", .integer("Seconds between probes.", range: 1...Int(Int32.max), default: 10)),
        .optional("timeoutSeconds", .integer("Seconds after which a probe times out.", range: 1...Int(Int32.max), default: 1)),
        .optional("successThreshold", .integer("Consecutive successes to count as passing after a failure.", range: 1...Int(Int32.max), default: 1)),
        .optional("failureThreshold", .integer("Consecutive failures to count as failing.", range: 1...Int(Int32.max), default: 3)),
    ]
}
