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
        if let cpu = amount(["limits", "cpu"]), cpu > 0 {
            flags.cpus = min(Double(ProcessInfo.processInfo.activeProcessorCount), max(0.01, cpu))  // podman refuses more than there are
        }
        // No more than this machine has: podman (and the kernel) refuse what no machine holds.
        let machine = Double(ProcessInfo.processInfo.physicalMemory)
        if let memory = amount(["limits", "memory"]), memory > 0 { flags.memory = clamped(min(machine, max(6 * 1_048_576, memory))) }
        // The kernel's own bound on shares; Kubernetes clamps the same way.
        if let cpu = amount(["requests", "cpu"]), cpu > 0 { flags.cpuShares = Int(clamped(min(262_144, max(2, cpu * 1024)))) }
        if let memory = amount(["requests", "memory"]), memory > 0 { flags.memoryReservation = clamped(min(machine, memory)) }
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
        return String(clamped((value / divide).rounded(.up)))
    }

    /// A quantity as a whole number: quantities go up to exabytes, past what Int64 holds.
    static func clamped(_ value: Double) -> Int64 {
        guard value.isFinite else { return value > 0 ? .max : 0 }
        return value >= 9.2e18 ? .max : Int64(max(0, value))
    }
}
