import Foundation
import KubeClient
import KubeModel
import TandemDeploy
import TandemJSON
import TandemModel
import TandemRendering

/// The status the controller writes, in KubeVela's shape so that `kubectl get app`, `vela`
/// habits and dashboards read it: a phase (`status.status`), one entry per component
/// (`services[]` with its traits), conditions, and the generation it describes.
enum ApplicationStatus {
    enum Phase: String {
        case rendering, running, unhealthy, deleting, failed
        /// While the workflow runs or stops, KubeVela's words for it.
        case runningWorkflow, workflowSuspending, workflowFailed, workflowTerminated
    }

    struct Condition {
        var type: String
        var ok: Bool
        var reason: String
        var message: String
    }

    /// A trait of a component, and the containers it adds (a sidecar's, say).
    struct Trait: Sendable {
        var type: String
        var containers: [String]
    }

    /// The status of an application that rendered and was applied (or failed to apply).
    /// `workflow`: `status.workflow` of an Application with a workflow.
    static func status(phase: Phase, generation: Int?, health: ApplicationHealth?, traits: [String: [Trait]]?,
                       conditions: [Condition], previous: JSONValue?, workflow: JSONValue? = nil, now: Date = Date()) -> JSONValue {
        var status: JSONObject = ["status": .string(phase.rawValue)]
        if let generation { status.append("observedGeneration", .int(generation)) }
        if let health, let traits {
            status.append("services", .array(health.components.map { service($0, traits: traits[$0.name] ?? [], namespace: health.namespace) }))
        }
        if let workflow { status.append("workflow", workflow) }
        status.append("conditions", .array(conditions.map { condition($0, previous: previous, now: now) }))
        return .object(status)
    }

    static func service(_ component: ComponentHealth, traits: [Trait], namespace: String) -> JSONValue {
        let verdict = component.verdict
        var service: JSONObject = ["name": .string(component.name), "namespace": .string(namespace), "cluster": "local"]
        if let workload = component.workload?.reference {
            service.append("workloadDefinition", ["apiVersion": .string(workload.gvk.apiVersion), "kind": .string(workload.gvk.kind)])
        }
        service.append("healthy", .bool(verdict.status == .current))
        service.append("workloadHealthy", .bool((component.workload?.verdict.status ?? .current) == .current))
        service.append("message", .string(message(component)))
        if let details = component.custom?.details, !details.isEmpty {
            service.append("details", .object(JSONObject(details.map { JSONObject.Member(key: $0.key, value: .string($0.value)) })))
        }
        service.append("traits", .array(traits.map { trait in
            // A trait is as healthy as the objects it made and the containers it added.
            let objects = component.objects.filter { $0.trait == trait.type }
            let containers = component.containers.filter { $0.trait == trait.type }
            var healthy = true
            var message = ""
            if let worst = objects.max(by: { $0.verdict.status < $1.verdict.status }), worst.verdict.status != .current {
                healthy = false
                message = worst.verdict.message
            }
            if let failing = containers.first(where: \.isFailing) {
                healthy = false
                if message.isEmpty { message = failing.sentence }
            } else if let waiting = containers.first(where: { !$0.ready && $0.state != "terminated" }) {
                healthy = false
                if message.isEmpty { message = "container '\(waiting.name)' is not ready" }
            } else if containers.isEmpty, let expected = trait.containers.first, verdict.status != .current {
                // Its pods are not there yet: not ready either, said the same way.
                healthy = false
                if message.isEmpty { message = "container '\(expected)' is not ready" }
            }
            // A trait whose definition states its health is judged by it too, its message first.
            if let custom = component.traitCustom[trait.type] {
                healthy = healthy && custom.healthy
                if !custom.message.isEmpty { message = custom.message }
            }
            return ["type": .string(trait.type), "healthy": .bool(healthy), "message": .string(message)]
        }))
        return .object(service)
    }

    /// A component's message for the status: the worst of its objects, or a failing container.
    /// Coarser than `tandem status` on purpose: a container starting up, named with its pod, would
    /// change the message (and cost a status write) at every step of every rollout. For the same
    /// reason a workload on its way says how many of its pods are ready (`Ready: 1/3`, as
    /// KubeVela's own health messages do), whatever step of the rollout it is at.
    static func message(_ component: ComponentHealth) -> String {
        if component.custom?.healthy != true, let failing = component.containers.first(where: \.isFailing) { return failing.sentence }
        // A definition's customStatus is its authors' own summary, as KubeVela shows it.
        if let custom = component.custom, !custom.message.isEmpty { return custom.message }
        let objects = [component.workload].compactMap { $0 } + component.objects
        guard let worst = objects.max(by: { $0.verdict.status < $1.verdict.status }) else { return "" }
        if worst.verdict.status == .inProgress, Self.countsReplicas(worst.reference.gvk.groupKind), let ready = worst.ready {
            return "Ready: \(ready.ready)/\(ready.desired)"
        }
        return worst.verdict.message
    }

    static func countsReplicas(_ groupKind: GroupKind) -> Bool {
        [.deployment, .statefulSet, .daemonSet, .replicaSet].contains(KindCatalog.entry(for: groupKind).health)
    }

    /// A condition, keeping the previous transition time when its status did not change.
    static func condition(_ condition: Condition, previous: JSONValue?, now: Date) -> JSONValue {
        let status = condition.ok ? "True" : "False"
        let old = previous?["conditions"]?.array?.first { $0["type"]?.string == condition.type }
        let time = old?["status"]?.string == status ? (old?["lastTransitionTime"]?.string ?? Timestamps.format(now)) : Timestamps.format(now)
        return ["type": .string(condition.type), "status": .string(status), "reason": .string(condition.reason),
                "message": .string(condition.message), "lastTransitionTime": .string(time)]
    }

    /// Whether two statuses say the same, transition times aside.
    static func same(_ lhs: JSONValue?, _ rhs: JSONValue?) -> Bool {
        func stripped(_ value: JSONValue?) -> JSONValue {
            guard var value else { return .null }
            if let conditions = value["conditions"]?.array {
                value["conditions"] = .array(conditions.map { condition in
                    var condition = condition
                    condition["lastTransitionTime"] = nil
                    return condition
                })
            }
            return value
        }
        return ObjectComparison.equivalent(stripped(lhs), stripped(rhs))
    }
}
