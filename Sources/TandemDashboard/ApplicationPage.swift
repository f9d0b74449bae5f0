import KubeModel
import TandemDeploy
import TandemJSON

/// One application's page as JSON: its topology (application → components → workloads →
/// pods → containers, each with a health word), the containers' probes, restarts and last
/// termination, its events and its workflow. The page's script draws it as it comes.
struct ApplicationPage {
    var summary: ApplicationSummary
    var health: ApplicationHealth?
    /// The live pods by name, for the containers' probes.
    var pods: [String: KubeObject] = [:]
    /// Probe descriptions by `pod/container`, when the probes' results are known (locally).
    var probeResults: [String: [String]] = [:]
    var events: [JSONValue] = []
    /// `status.workflow` as KubeVela writes it, when the application has a workflow.
    var workflow: JSONValue?
    /// A controller-managed application's `status.services`: each component's health as the
    /// controller last wrote it.
    var services: [JSONValue] = []

    var json: JSONValue {
        var object = JSONObject()
        object.append("name", .string(summary.name))
        object.append("namespace", .string(summary.namespace))
        object.append("managedBy", .string(summary.source.rawValue))
        object.append("health", .string(HealthWords.word(summary)))
        object.append("workflowPhase", summary.workflowPhase.map(JSONValue.string) ?? .null)
        object.append("components", .array(components))
        object.append("warnings", .array(problems.map(JSONValue.string)))
        object.append("events", .array(events))
        object.append("workflow", workflow ?? .null)
        object.append("actions", .array(actions.map { .string($0.rawValue) }))
        return .object(object)
    }

    /// The recent warnings, while the application is not healthy: the header says what is wrong
    /// now; a healthy application's old warnings are in the events list, with their age.
    var problems: [String] {
        summary.healthy ? [] : health?.warnings ?? []
    }

    /// The workflow actions that apply now: Resume while the workflow is suspended, Terminate
    /// while it runs or is suspended; none without a workflow or once it has ended.
    var actions: [WorkflowAction] {
        guard workflow != nil else { return [] }
        switch summary.workflowPhase {
        case "suspending": return [.resume, .terminate]
        case "executing": return [.terminate]
        default: return []
        }
    }

    private var components: [JSONValue] {
        guard let health else {
            // Without an inventory (a controller-managed application): the components as the
            // controller's status reports them.
            return summary.components.map { name in
                let service = services.first { $0["name"]?.string == name }
                let word = service.map { $0["healthy"]?.bool == true ? "healthy" : "progressing" } ?? "unknown"
                return .object(["name": .string(name), "type": .string(""), "health": .string(word),
                                "message": .string(service?["message"]?.string ?? ""), "workloads": .array([])])
            }
        }
        return health.components.map { component in
            let verdict = component.verdict
            var workloads: [JSONValue] = []
            if let workload = component.workload {
                workloads.append(object(workload, pods: podsJSON(component.containers)))
            }
            for other in component.objects where KindCatalog.entry(for: other.reference.gvk.groupKind).health.readsStatus {
                workloads.append(object(other, pods: []))
            }
            return .object(["name": .string(component.name), "type": .string(component.type), "health": .string(HealthWords.word(verdict.status)),
                            "message": .string(verdict.message), "workloads": .array(workloads)])
        }
    }

    private func object(_ health: ObjectHealth, pods: [JSONValue]) -> JSONValue {
        var object = JSONObject()
        object.append("kind", .string(health.reference.gvk.kind))
        object.append("name", .string(health.reference.name))
        object.append("trait", health.trait.map(JSONValue.string) ?? .null)
        object.append("health", .string(HealthWords.word(health.verdict.status)))
        object.append("message", .string(health.verdict.message))
        object.append("ready", health.ready.map { .string("\($0.ready)/\($0.desired)") } ?? .null)
        object.append("pods", .array(pods))
        return .object(object)
    }

    private func podsJSON(_ containers: [ContainerHealth]) -> [JSONValue] {
        var order: [String] = []
        for container in containers where !order.contains(container.pod) { order.append(container.pod) }
        return order.map { pod in
            let members = containers.filter { $0.pod == pod }
            let words = members.map(HealthWords.word)
            let worst = words.max { HealthWords.rank($0) < HealthWords.rank($1) } ?? "unknown"
            // As `kubectl get pods` counts them: the containers that serve, not the init ones.
            let serving = members.filter { $0.role != .initContainer }
            let ready = "\(serving.filter(\.ready).count)/\(serving.count)"
            return .object(["name": .string(pod), "health": .string(worst), "phase": .string(phase(of: pod, members)),
                            "ready": .string(ready), "containers": .array(members.map(container))])
        }
    }

    /// The live pod's phase; without one (a local run) what its containers' states tell.
    private func phase(of pod: String, _ members: [ContainerHealth]) -> String {
        if let phase = pods[pod]?.json[path: ["status", "phase"]]?.string { return phase }
        if members.contains(where: { $0.state == "running" }) { return "Running" }
        if !members.isEmpty, members.allSatisfy({ $0.state == "terminated" }) {
            return members.contains { ($0.lastTermination?.exitCode ?? 0) != 0 } ? "Failed" : "Succeeded"
        }
        return "Pending"
    }

    private func container(_ container: ContainerHealth) -> JSONValue {
        var object = JSONObject()
        object.append("name", .string(container.name))
        object.append("role", .string(container.role?.rawValue ?? "main"))
        object.append("sidecar", .bool(container.role == .sidecar || container.role == .nativeSidecar))
        object.append("image", .string(container.image))
        object.append("health", .string(HealthWords.word(container)))
        object.append("ready", .bool(container.ready))
        object.append("state", .string(container.state))
        object.append("summary", .string(container.summary))
        object.append("message", container.message.map(JSONValue.string) ?? .null)
        object.append("restarts", .int(container.restarts))
        object.append("lastTermination", container.lastTermination.map { .string($0.summary) } ?? .null)
        let probes = probeResults["\(container.pod)/\(container.name)"] ?? pods[container.pod].map { Self.probes(of: container.name, in: $0) } ?? []
        object.append("probes", .array(probes.map(JSONValue.string)))
        return .object(object)
    }

    /// `readiness: httpGet :8080/healthz`, from the live pod's spec.
    static func probes(of name: String, in pod: KubeObject) -> [String] {
        let containers = (pod.json[path: ["spec", "containers"]]?.array ?? []) + (pod.json[path: ["spec", "initContainers"]]?.array ?? [])
        guard let spec = containers.first(where: { $0["name"]?.string == name }) else { return [] }
        return [("readiness", "readinessProbe"), ("liveness", "livenessProbe"), ("startup", "startupProbe")].compactMap { word, key in
            guard let probe = spec[key] else { return nil }
            return "\(word): \(handler(probe))"
        }
    }

    static func handler(_ probe: JSONValue) -> String {
        if let get = probe["httpGet"] {
            return "httpGet :\(port(get["port"]))\(get["path"]?.string ?? "/")"
        }
        if let socket = probe["tcpSocket"] { return "tcpSocket :\(port(socket["port"]))" }
        if let grpc = probe["grpc"] { return "grpc :\(port(grpc["port"]))" }
        if let command = probe[path: ["exec", "command"]]?.array { return "exec " + command.compactMap(\.string).joined(separator: " ") }
        return "unknown handler"
    }

    private static func port(_ value: JSONValue?) -> String {
        value?.string ?? value?.int.map(String.init) ?? "?"
    }

    /// An event as the page lists it.
    static func event(_ event: KubeObject) -> JSONValue {
        let involved = event.json["involvedObject"]
        return .object([
            "type": .string(event.json["type"]?.string ?? "Normal"),
            "reason": .string(event.json["reason"]?.string ?? ""),
            "object": .string("\((involved?["kind"]?.string ?? "").lowercased())/\(involved?["name"]?.string ?? "")"),
            "message": .string(event.json["message"]?.string ?? ""),
            "time": .string(EventTime.of(event)),
            "count": .int(event.json["count"]?.int ?? 1),
        ])
    }
}
