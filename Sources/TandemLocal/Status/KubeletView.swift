import Foundation
import KubeClient
import TandemJSON

/// The supervisor's knowledge written as a cluster would show it: Pods with container statuses,
/// workloads with the status their controllers would give them, and events. The cluster side's
/// health rules read these, so that the local runtime speaks the same vocabulary
/// (`CrashLoopBackOff`, `Ready: 0/1`, `Job Completed`).
struct KubeletView {
    var plan: LocalPlan
    /// By podman name: during an update, a pod's successor beside it.
    var pods: [String: PodState]
    /// Whether an update's new pods are still replacing old ones.
    var rollingOut: Bool
    var serviceIPs: [String: String]
    /// A Job's failed pods that a new pod replaced.
    var replaced: [PodState]
    var events: [EventRecord]
    var supervisorPID: Int32
    var startedAt: Date

    func statusDocument() -> String {
        let inventory = (try? JSONReader().read(plan.inventory)) ?? .null
        let document: JSONValue = [
            "application": .string(plan.application),
            "namespace": .string(plan.namespace),
            "supervisor": ["pid": .int(Int(supervisorPID)), "startedAt": .string(Timestamps.format(startedAt)),
                           "updatedAt": .string(Timestamps.format(Date())),
                           "observedGeneration": .int(plan.generation), "rollingOut": .bool(rollingOut)],
            "inventory": inventory,
            "objects": .array(plan.workloads.map(workload) + plan.services.map(service)),
            "pods": .array((replaced + ordered).map(pod)),
            "events": .array(events.map(event)),
            "probes": .array(probeRecords()),
            "notes": .array(plan.notes.map(JSONValue.string)),
        ]
        return JSONWriter.write(document)
    }

    /// The plan's pods in its order, then those an update is replacing.
    var ordered: [PodState] {
        let current = plan.pods.compactMap { pods[$0.podmanName] }
        let wanted = Set(plan.pods.map(\.podmanName))
        return current + pods.filter { !wanted.contains($0.key) }.sorted { $0.key < $1.key }.map(\.value)
    }

    func pod(_ state: PodState) -> JSONValue {
        let spec = (try? JSONReader().read(state.plan.spec)) ?? .object(JSONObject())
        var metadata: JSONObject = ["name": .string(state.name), "namespace": .string(plan.namespace)]
        metadata.append("labels", .object(JSONObject(state.plan.labels.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: .string($0.value)) })))
        var status: JSONObject = ["phase": .string(state.phase.rawValue)]
        if let podIP = state.podIP { status.append("podIP", .string(podIP)) }
        if let message = state.message { status.append("message", .string(message)) }
        status.append("conditions", [["type": "Ready", "status": .string(state.ready ? "True" : "False")]])
        status.append("initContainerStatuses", .array(state.plan.initContainers.compactMap { state.containers[$0.name] }.map(container)))
        status.append("containerStatuses", .array(state.plan.containers.compactMap { state.containers[$0.name] }.map(container)))
        return ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata), "spec": spec, "status": .object(status)]
    }

    func container(_ state: ContainerState) -> JSONValue {
        var json: JSONObject = ["name": .string(state.plan.name), "image": .string(state.plan.image), "ready": .bool(state.ready),
                                "started": .bool(state.isRunning && state.started), "restartCount": .int(state.restarts)]
        json.append("state", Self.state(state.state))
        if let last = state.lastTermination, state.restarts > 0 || !state.isRunning {
            json.append("lastState", ["terminated": Self.terminated(last)])
        }
        return .object(json)
    }

    static func state(_ state: ContainerState.State) -> JSONValue {
        switch state {
        case .waiting(let reason, let message):
            var waiting: JSONObject = ["reason": .string(reason)]
            if !message.isEmpty { waiting.append("message", .string(message)) }
            return ["waiting": .object(waiting)]
        case .running(let since):
            return ["running": ["startedAt": .string(Timestamps.format(since))]]
        case .terminated(let termination):
            return ["terminated": terminated(termination)]
        }
    }

    static func terminated(_ termination: ContainerState.Termination) -> JSONValue {
        var json: JSONObject = ["exitCode": .int(termination.exitCode), "reason": .string(termination.reason)]
        if let started = termination.startedAt { json.append("startedAt", .string(Timestamps.format(started))) }
        json.append("finishedAt", .string(Timestamps.format(termination.finishedAt)))
        return .object(json)
    }

    /// The workload's status, as its controller would write it from its pods.
    func workload(_ workload: WorkloadPlan) -> JSONValue {
        var object = (try? JSONReader().read(workload.object)) ?? .object(JSONObject())
        let owned = ordered.filter { $0.plan.component == workload.component && workload.pods.contains($0.plan.name) }
        let ready = owned.filter(\.ready).count
        let count = owned.count
        // The pods of the current template, as a Deployment counts its new ReplicaSet's.
        let templates = Dictionary(plan.pods.map { ($0.name, $0.template) }, uniquingKeysWith: { first, _ in first })
        let updated = owned.filter { templates[$0.plan.name] == $0.plan.template }
        let desired = workload.pods.count
        var status = JSONObject()
        switch workload.kind {
        case .deployment:
            let available = updated.filter(\.ready).count == desired
            status = ["observedGeneration": 1, "replicas": .int(count), "updatedReplicas": .int(updated.count), "readyReplicas": .int(ready),
                      "availableReplicas": .int(ready),
                      "conditions": [["type": "Available", "status": .string(available ? "True" : "False"),
                                      "reason": .string(available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")],
                                     ["type": "Progressing", "status": "True",
                                      "reason": .string(available ? "NewReplicaSetAvailable" : "ReplicaSetUpdated")]]]
        case .statefulSet:
            status = ["observedGeneration": 1, "replicas": .int(count), "readyReplicas": .int(ready), "currentReplicas": .int(count),
                      "updatedReplicas": .int(updated.count), "currentRevision": "local", "updateRevision": "local"]
        case .daemonSet:
            status = ["observedGeneration": 1, "desiredNumberScheduled": .int(count), "currentNumberScheduled": .int(count),
                      "updatedNumberScheduled": .int(updated.count), "numberAvailable": .int(ready), "numberReady": .int(ready)]
        case .job:
            let succeeded = owned.filter { $0.phase == .succeeded }.count
            let failedPods = owned.filter { $0.phase == .failed }
            let active = owned.filter { $0.phase == .running || $0.phase == .pending }.count
            // Never: each failed pod counts (replaced ones too); OnFailure: each failed run of one.
            let failedRuns = replaced.filter { workload.pods.contains($0.plan.name) }.count + failedPods.count
            let failed = owned.first?.plan.restartPolicy == "Never" ? failedRuns : owned.map(\.failures).reduce(0, +)
            status = ["active": .int(active), "succeeded": .int(succeeded), "failed": .int(failed)]
            if let started = owned.compactMap(\.startedAt).min() { status.append("startTime", .string(Timestamps.format(started))) }
            if count > 0, succeeded == count {
                status.append("conditions", [["type": "Complete", "status": "True"]])
            } else if let failed = failedPods.first {
                status.append("conditions", [["type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                                              "message": .string(failed.message ?? "Job has reached the specified backoff limit")]])
            }
            // The API server gives a Job a selector of its own (controller-uid); here its pods
            // carry the template's labels, so those select them.
            if object[path: ["spec", "selector"]] == nil {
                let name = object[path: ["metadata", "name"]] ?? .null
                object[path: ["spec", "selector"]] = ["matchLabels": ["batch.kubernetes.io/job-name": name]]
            }
            object[path: ["spec", "completions"]] = .int(max(1, count))
            object[path: ["spec", "parallelism"]] = .int(max(1, count))
        }
        object["status"] = .object(status)
        return object
    }

    /// A Service, its ClusterIP its pod's address; a LoadBalancer's address is that too, as a
    /// local cluster's load balancer gives the node's.
    func service(_ service: ServicePlan) -> JSONValue {
        var object = (try? JSONReader().read(service.object)) ?? .object(JSONObject())
        guard let address = serviceIPs[service.name] else { return object }
        object[path: ["spec", "clusterIP"]] = .string(address)
        if object[path: ["spec", "type"]]?.string == "LoadBalancer" {
            object[path: ["status", "loadBalancer", "ingress"]] = [["ip": .string(address)]]
        }
        return object
    }

    func event(_ record: EventRecord) -> JSONValue {
        var involved: JSONObject = ["kind": "Pod", "name": .string(record.pod), "namespace": .string(plan.namespace)]
        if let fieldPath = record.fieldPath { involved.append("fieldPath", .string(fieldPath)) }
        return ["metadata": ["name": .string("\(record.pod).\(Int(record.first.timeIntervalSince1970 * 1000))"),
                             "namespace": .string(plan.namespace)],
                "type": .string(record.type), "reason": .string(record.reason), "message": .string(record.message),
                "involvedObject": .object(involved), "count": .int(record.count),
                "firstTimestamp": .string(Timestamps.format(record.first)), "lastTimestamp": .string(Timestamps.format(record.last))]
    }

    /// The last result of every probe, for `status --local`.
    func probeRecords() -> [JSONValue] {
        var records: [JSONValue] = []
        for podPlan in plan.pods {
            guard let pod = pods[podPlan.podmanName] else { continue }
            for containerPlan in podPlan.allContainers {
                guard let container = pod.containers[containerPlan.name] else { continue }
                for kind in ProbeKind.allCases {
                    guard let probe = [ProbeKind.startup: containerPlan.startupProbe, .liveness: containerPlan.livenessProbe,
                                       .readiness: containerPlan.readinessProbe][kind] ?? nil else { continue }
                    var json: JSONObject = ["pod": .string(podPlan.name), "container": .string(containerPlan.name),
                                            "probe": .string(kind.rawValue), "handler": .string(probe.summary)]
                    if let record = container.probes[kind] {
                        json.append("result", .string(record.succeeded ? "success" : "failure"))
                        json.append("message", .string(record.message))
                        json.append("consecutiveFailures", .int(record.consecutiveFailures))
                        json.append("time", .string(Timestamps.format(record.time)))
                    } else {
                        json.append("result", "not run yet")
                    }
                    records.append(.object(json))
                }
            }
        }
        return records
    }
}
