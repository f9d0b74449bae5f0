import Foundation
import KubeModel
import TandemDefinitions
import TandemJSON
import TandemKubeVela
import TandemRendering

/// The health of one object of an application.
public struct ObjectHealth: Sendable, Hashable {
    public var reference: ObjectReference
    public var trait: String?
    public var verdict: HealthVerdict
    /// `1/2` ready, for workloads that count replicas.
    public var ready: (ready: Int, desired: Int)? {
        get { readyCount.map { ($0, desiredCount ?? 0) } }
        set { readyCount = newValue?.ready; desiredCount = newValue?.desired }
    }
    var readyCount: Int?
    var desiredCount: Int?
}

/// One component: its workload, the objects its traits made, its containers.
public struct ComponentHealth: Sendable, Hashable {
    public var name: String
    public var type: String
    public var workload: ObjectHealth?
    public var objects: [ObjectHealth]
    public var containers: [ContainerHealth]
    /// What the definition's own health policy says, when it states one: it judges the workload.
    public var custom: CustomHealth? = nil
    /// What its traits' own health policies say, by trait type.
    public var traitCustom: [String: CustomHealth] = [:]

    /// The worst of its objects and containers, with the message that explains it.
    public var verdict: HealthVerdict {
        let all = ([workload].compactMap { $0 } + objects)
        var worst = all.max { $0.verdict.status < $1.verdict.status }?.verdict ?? .current("nothing to deploy")
        if worst.status < .inProgress, let (trait, unmet) = traitCustom.sorted(by: { $0.key < $1.key }).first(where: { !$0.value.healthy }) {
            worst = .inProgress("HealthPolicy", "the \(trait) trait: " + (unmet.message.isEmpty ? "its health policy is not met yet" : unmet.message))
        }
        if custom?.healthy == true {
            // The definition's policy judged the workload healthy: its containers do not overrule it.
        } else if let failing = containers.first(where: \.isFailing) {
            worst = .failed(failing.reason ?? "ContainerFailing", failing.sentence)
        } else if worst.status == .inProgress, let waiting = containers.first(where: { !$0.ready && $0.state != "terminated" }) {
            worst.message += "; \(waiting.sentence)"
        }
        return worst
    }
}

extension ContainerHealth {
    /// `sidecar 'log-shipper' in pod web-7d9f-x2: CrashLoopBackOff (5 restarts): back-off 40s…`.
    public var sentence: String {
        let kind: String
        switch role {
        case .sidecar?: kind = "sidecar"
        case .nativeSidecar?: kind = "native sidecar"
        case .initContainer?: kind = "init container"
        default: kind = "container"
        }
        var text = "\(kind) '\(name)' in pod \(pod): \(summary)"
        if let message, !message.isEmpty { text += ": \(message)" }
        if let lastEvent, lastEvent != message { text += " (last event: \(lastEvent))" }
        return text
    }
}

/// The health of a whole application: every component, and the recent warnings.
public struct ApplicationHealth: Sendable, Hashable {
    public var application: String
    public var namespace: String
    public var components: [ComponentHealth]
    /// Recent warning events about the application's objects and pods, newest first.
    public var warnings: [String]

    public var status: HealthStatus { components.map(\.verdict.status).max() ?? .current }
    public var isHealthy: Bool { status == .current }
    public var hasFailed: Bool { status == .failed }

    /// Puts together the health of `inventory` from the live objects, the application's pods
    /// and the namespace's events.
    public static func assess(_ inventory: Inventory, namespace: String, objects: [ObjectReference: KubeObject],
                              pods: [KubeObject], events: [KubeObject], now: Date = Date()) -> ApplicationHealth {
        let livePods = pods.filter { $0.json[path: ["metadata", "deletionTimestamp"]] == nil }
        var names: Set<String> = Set(livePods.map(\.name))
        var components: [ComponentHealth] = []
        for component in inventory.components {
            var workload: ObjectHealth?
            var others: [ObjectHealth] = []
            var containers: [ContainerHealth] = []
            for entry in component.objects {
                names.insert(entry.reference.name)
                var health = ObjectHealth(reference: entry.reference, trait: entry.trait, verdict: HealthVerdict(.notFound, reason: "NotFound",
                                                                                                              "\(entry.reference.kubectlName) does not exist"))
                if let live = objects[entry.reference] {
                    health.verdict = HealthRules.verdict(of: live, now: now)
                    health.ready = Self.readyCount(of: live)
                    if entry.isWorkload {
                        let selected = livePods.filter { PodSelection.selects(live, $0) }
                        containers = ContainerHealth.of(pods: selected, containers: component.containers, events: events)
                    }
                } else if !KindCatalog.entry(for: entry.reference.gvk.groupKind).health.readsStatus {
                    // Kinds without a status (ConfigMaps, Secrets, RBAC) are not read back: applied is healthy.
                    health.verdict = .current("Resource is always ready")
                }
                if entry.isWorkload { workload = health } else { others.append(health) }
            }
            var custom: CustomHealth?
            // Judged once the workload exists: a missing one stays missing, whatever the policy says.
            var traitCustom: [String: CustomHealth] = [:]
            if let reference = component.workload, objects[reference] != nil {
                if let policy = component.healthPolicy {
                    let judged = judge(component, policy, objects: objects)
                    custom = judged
                    workload?.verdict = judged.healthy
                        ? .current(judged.message.isEmpty ? "the \(component.type) definition's health policy is met" : judged.message)
                        : .inProgress("HealthPolicy", judged.message.isEmpty ? "the \(component.type) definition's health policy is not met yet" : judged.message)
                }
                for policy in component.traitHealthPolicies {
                    traitCustom[policy.trait ?? policy.definition] = judge(component, policy, objects: objects)
                }
            }
            components.append(ComponentHealth(name: component.name, type: component.type, workload: workload, objects: others,
                                              containers: containers, custom: custom, traitCustom: traitCustom))
        }
        let warnings = events
            .filter { $0.json["type"]?.string == "Warning" && names.contains($0.json[path: ["involvedObject", "name"]]?.string ?? "") }
            .sorted { EventTime.of($0) > EventTime.of($1) }
            .prefix(5)
            .map { event in
                let involved = event.json["involvedObject"]
                let what = "\((involved?["kind"]?.string ?? "").lowercased())/\(involved?["name"]?.string ?? "")"
                return "\(what): \(event.json["reason"]?.string ?? ""): \(event.json["message"]?.string ?? "")"
            }
        return ApplicationHealth(application: inventory.application, namespace: namespace, components: components, warnings: Array(warnings))
    }

    /// A component by its definition's health policy, with its live workload as `context.output`
    /// and its live named outputs as `context.outputs`.
    static func judge(_ component: Inventory.Component, _ policy: HealthPolicy, objects: [ObjectReference: KubeObject]) -> CustomHealth {
        let output = component.workload.flatMap { objects[$0]?.json }
        var outputs: [String: JSONValue] = [:]
        for entry in policy.outputs {
            let reference = component.objects.first { $0.reference.gvk.kind == entry.kind && $0.reference.name == entry.objectName }?.reference
            if let live = reference.flatMap({ objects[$0] }) { outputs[entry.name] = live.json }
        }
        return DefinitionHealth.evaluate(policy, output: output, outputs: outputs)
    }

    static func readyCount(of object: KubeObject) -> (Int, Int)? {
        let json = object.json
        switch KindCatalog.entry(for: object.gvk.groupKind).health {
        case .deployment, .statefulSet, .replicaSet:
            return (json[path: ["status", "readyReplicas"]]?.int ?? 0, json[path: ["spec", "replicas"]]?.int ?? 1)
        case .daemonSet:
            return (json[path: ["status", "numberReady"]]?.int ?? 0, json[path: ["status", "desiredNumberScheduled"]]?.int ?? 0)
        case .job:
            let parallelism = json[path: ["spec", "parallelism"]]?.int ?? 1
            return (json[path: ["status", "succeeded"]]?.int ?? 0, json[path: ["spec", "completions"]]?.int ?? parallelism)
        default:
            return nil
        }
    }
}

/// Which pods a workload's selector selects.
enum PodSelection {
    static func selects(_ workload: KubeObject, _ pod: KubeObject) -> Bool {
        guard pod.namespace == workload.namespace, let selector = workload.json[path: ["spec", "selector"]] else { return false }
        let labels = pod.json[path: ["metadata", "labels"]]?.object ?? JSONObject()
        let matchLabels = selector["matchLabels"]?.object ?? JSONObject()
        let expressions = selector["matchExpressions"]?.array ?? []
        guard !matchLabels.isEmpty || !expressions.isEmpty else { return false }
        for member in matchLabels where labels[member.key] != member.value { return false }
        for expression in expressions {
            guard let key = expression["key"]?.string else { return false }
            let values = expression["values"]?.strings ?? []
            let value = labels[key]?.string
            switch expression["operator"]?.string {
            case "In": if !(value.map(values.contains) ?? false) { return false }
            case "NotIn": if let value, values.contains(value) { return false }
            case "Exists": if value == nil { return false }
            case "DoesNotExist": if value != nil { return false }
            default: return false
            }
        }
        return true
    }
}
