import Foundation
import TandemJSON
import TandemModel

/// A container's `resources` as podman flags, and as `resourceFieldRef` reads them.
enum ResourceValues {
    /// Limits become hard limits; requests become CPU shares (as the kubelet computes them from
    /// millicores) and a memory reservation.
    static func flags(_ resources: JSONValue?) -> ResourceFlags {
        func amount(_ path: [String]) -> Double? { resources?[path: path]?.string.flatMap(Quantity.amount) ?? resources?[path: path]?.double }
        var flags = ResourceFlags()
        if let cpu = amount(["limits", "cpu"]), cpu > 0 { flags.cpus = max(0.01, cpu) }
        if let memory = amount(["limits", "memory"]), memory > 0 { flags.memory = Int64(max(6 * 1_048_576, memory)) }
        if let cpu = amount(["requests", "cpu"]), cpu > 0 { flags.cpuShares = max(2, Int(cpu * 1024)) }
        if let memory = amount(["requests", "memory"]), memory > 0 { flags.memoryReservation = Int64(memory) }
        return flags
    }

    /// The value `resourceFieldRef` gives: the limit or request divided by `divisor` and rounded
    /// up, a limit left out being the machine's capacity, as on a node.
    static func fieldValue(resource: String, divisor: String?, resources: JSONValue?) -> String? {
        let parts = resource.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["limits", "requests"].contains(parts[0]),
              ["cpu", "memory", "ephemeral-storage"].contains(parts[1]) else { return nil }
        let isCPU = parts[1] == "cpu"
        var value = resources?[path: parts]?.string.flatMap(Quantity.amount) ?? resources?[path: parts]?.double
        if value == nil, parts[0] == "requests" {
            // A request left out is the limit when there is one, else nothing.
            value = resources?[path: ["limits", parts[1]]]?.string.flatMap(Quantity.amount) ?? 0
        }
        if value == nil || (parts[0] == "limits" && value == 0) {
            value = isCPU ? Double(ProcessInfo.processInfo.activeProcessorCount) : Double(ProcessInfo.processInfo.physicalMemory)
        }
        let divide = divisor.flatMap(Quantity.amount) ?? 1
        guard divide > 0, let value else { return nil }
        return String(Int64((value / divide).rounded(.up)))
    }
}
