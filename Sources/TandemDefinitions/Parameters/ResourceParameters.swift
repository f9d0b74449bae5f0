import KubeModel
import TandemJSON
import TandemModel

/// CPU and memory parameters and how they become `resources`.
package enum ResourceParameters {
    package static let cpu = Schema.quantity("CPU, in cores (0.5) or millicores (500m).")
    package static let memory = Schema.quantity("Memory, in bytes with a suffix (128Mi, 1Gi).")

    package static let limit = Schema.object("Resource limits of the container.", [
        .optional("cpu", cpu.described("CPU limit, in cores (1) or millicores (500m).")),
        .optional("memory", memory.described("Memory limit (256Mi, 1Gi).")),
    ])

    /// Reports a request above its limit, which Kubernetes refuses; `at` is where to point.
    package static func checkRequestsWithinLimits(_ resources: ResourceRequirements, scope: DiagnosticScope, at path: FieldPath) {
        for resource in ["cpu", "memory"] {
            guard let request = resources.requests[resource]?.string, let limit = resources.limits[resource]?.string,
                  let requested = Quantity.amount(request), let limited = Quantity.amount(limit), requested > limited
            else { continue }
            scope.error("the \(resource) request \(request) is above its limit \(limit)", at: path, code: .requestAboveLimit,
                        hint: "a container may not request more than its limit")
        }
    }

    /// Checks of an object holding `cpu` and `memory` (requests) beside a `limit`, or `requests`
    /// beside `limits`: made while validating, so they are reported with every other problem.
    package static let checks: [Schema.Check] = [checkLimits, checkCPUAmounts]

    /// A request above its limit: Kubernetes refuses the pod.
    static func checkLimits(_ object: JSONObject, _ scope: DiagnosticScope) {
        for (requests, limits, at) in [(JSONValue.object(object), object["limit"], FieldPath(["limit"])),
                                       (object["requests"] ?? .null, object["limits"], FieldPath(["limits"]))] {
            for resource in ["cpu", "memory"] {
                guard let request = requests[resource]?.string, let limit = limits?[resource]?.string,
                      let requested = Quantity.amount(request), let limited = Quantity.amount(limit), requested > limited
                else { continue }
                scope.error("the \(resource) request \(request) is above its limit \(limit)", at: at, code: .requestAboveLimit,
                            hint: "a container may not request more than its limit")
            }
        }
    }

    /// More cores than any node has, written without a unit: `cpu: 500` is nearly always `500m`.
    static func checkCPUAmounts(_ object: JSONObject, _ scope: DiagnosticScope) {
        let places: [(JSONValue?, FieldPath)] = [(.object(object), []), (object["limit"], ["limit"]),
                                                 (object["requests"], ["requests"]), (object["limits"], ["limits"])]
        for (holder, at) in places {
            guard let text = holder?["cpu"]?.string, let cores = Quantity.amount(text), cores >= 64,
                  text.allSatisfy({ $0.isNumber || $0 == "." }) else { continue }
            scope.warning("cpu \(text) asks for \(text) cores; nodes rarely have more than 64", at: at / "cpu", code: .unlikelyValue,
                          hint: "for millicores write \(text)m")
        }
    }

    /// Copies the `cpu` and `memory` values of `properties`, when set, into `target`.
    package static func copy(_ properties: JSONValue?, into target: inout JSONObject) {
        for resource in ["cpu", "memory"] {
            if let value = properties?[resource] { target[resource] = value }
        }
    }
}
