import KubeModel
import TandemModel

/// CPU and memory parameters and how they become `resources`.
public enum ResourceParameters {
    public static let cpu = Schema.quantity("CPU, in cores (0.5) or millicores (500m).")
    public static let memory = Schema.quantity("Memory, in bytes with a suffix (128Mi, 1Gi).")

    public static let limit = Schema.object("Resource limits of the container.", [
        .optional("cpu", cpu.described("CPU limit, in cores (1) or millicores (500m).")),
        .optional("memory", memory.described("Memory limit (256Mi, 1Gi).")),
    ])

    /// Copies the `cpu` and `memory` values of `properties`, when set, into `target`.
    public static func copy(_ properties: JSONValue?, into target: inout JSONObject) {
        for resource in ["cpu", "memory"] {
            if let value = properties?[resource] { target[resource] = value }
        }
    }
}
