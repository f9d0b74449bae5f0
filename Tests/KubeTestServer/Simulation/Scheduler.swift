import Foundation
import TandemJSON

/// The simulated kube-scheduler: binds every pod to the one node, `node-1`, unless a
/// PersistentVolumeClaim it needs is missing or unbound.
enum Scheduler {
    static let nodeName = "node-1"

    static func run(_ context: inout ControllerContext) {
        context.sync(.pods) { pod, context in
            guard !pod.isDeleting, (pod[path: ["spec", "nodeName"]]?.string ?? "").isEmpty else { return }
            if let reason = unschedulable(pod, context: context) {
                let message = "0/1 nodes are available: \(reason). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
                let previous = pod[path: ["status", "conditions"]]?.array ?? []
                var status = pod["status"]?.object ?? [:]
                status["phase"] = "Pending"
                status["conditions"] = [PodConditions.make("PodScheduled", false, reason: "Unschedulable", message: message,
                                                           previous: previous, now: context.now, probe: true)]
                context.setStatus(.pods, pod, .object(status), manager: "kube-scheduler")
                context.event(EventSpec(object: pod, apiVersion: "v1", kind: "Pod", reason: "FailedScheduling", message: message,
                                        type: "Warning", component: "default-scheduler"))
                return
            }
            guard let bound = context.modify(.pods, pod, manager: "kube-scheduler", { $0[path: ["spec", "nodeName"]] = .string(nodeName) })
            else { return }
            context.event(EventSpec(object: bound, apiVersion: "v1", kind: "Pod", reason: "Scheduled",
                                    message: "Successfully assigned \(pod.namespace)/\(pod.name) to \(nodeName)",
                                    component: "default-scheduler"))
        }
    }

    private static func unschedulable(_ pod: JSONValue, context: ControllerContext) -> String? {
        for volume in pod[path: ["spec", "volumes"]]?.array ?? [] {
            guard let claim = volume[path: ["persistentVolumeClaim", "claimName"]]?.string else { continue }
            guard let pvc = context.get(.persistentVolumeClaims, namespace: pod.namespace, name: claim) else {
                return "persistentvolumeclaim \"\(claim)\" not found"
            }
            if pvc[path: ["status", "phase"]]?.string != "Bound" { return "pod has unbound immediate PersistentVolumeClaims" }
        }
        return nil
    }
}

/// Pod conditions whose lastTransitionTime only moves when their status does.
enum PodConditions {
    static func make(_ type: String, _ status: Bool, reason: String? = nil, message: String? = nil, previous: [JSONValue],
                     now: Date, probe: Bool = false) -> JSONValue {
        let value = status ? "True" : "False"
        let earlier = previous.first { $0["type"]?.string == type }
        let transition = earlier?["status"]?.string == value ? (earlier?["lastTransitionTime"] ?? .string(Timestamp.string(now)))
            : .string(Timestamp.string(now))
        var condition = JSONObject()
        condition.append("type", .string(type))
        condition.append("status", .string(value))
        condition.append("lastProbeTime", .null)
        condition.append("lastTransitionTime", transition)
        if let reason { condition.append("reason", .string(reason)) }
        if let message { condition.append("message", .string(message)) }
        return .object(condition)
    }
}
