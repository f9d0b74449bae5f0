import Foundation
import TandemJSON

/// The simulated deployment controller: a ReplicaSet per template, old ones scaled down once
/// the new one is available (or at once for Recreate), status and conditions as the real one
/// writes them, ProgressDeadlineExceeded after `progressDeadlineSeconds` without progress.
enum DeploymentController {
    static let manager = "kube-controller-manager"

    static func run(_ context: inout ControllerContext, memory: inout SimulationMemory) {
        context.sync(.deployments) { deployment, context in
            guard !deployment.isDeleting else { return }
            sync(deployment, owned: context.owned(.replicaSets, by: deployment), context: &context, memory: &memory)
        }
    }

    private static func sync(_ deployment: JSONValue, owned: [JSONValue], context: inout ControllerContext,
                             memory: inout SimulationMemory) {
        var owned = owned
        let namespace = deployment.namespace
        let template = deployment[path: ["spec", "template"]]
        let generation = deployment[path: ["metadata", "generation"]]?.int ?? 0
        let hash: String
        if let known = memory.templateHashes[deployment.uid], known.generation == generation {
            hash = known.hash
        } else {
            hash = Workload.templateHash(template)
            memory.templateHashes[deployment.uid] = (generation, hash)
        }
        let desired = deployment[path: ["spec", "replicas"]]?.int ?? 1
        let paused = deployment[path: ["spec", "paused"]]?.bool == true
        let recreate = deployment[path: ["spec", "strategy", "type"]]?.string == "Recreate"
        var newSet = owned.first { Workload.labels($0)["pod-template-hash"]?.string == hash }

        if newSet == nil, !paused {
            let revision = (owned.compactMap { Int($0[path: ["metadata", "annotations", "deployment.kubernetes.io/revision"]]?.string ?? "") }.max() ?? 0) + 1
            let surge = Workload.scaled(deployment[path: ["spec", "strategy", "rollingUpdate", "maxSurge"]], of: desired, roundUp: true)
            var labels = template?[path: ["metadata", "labels"]]?.object ?? [:]
            labels["pod-template-hash"] = .string(hash)
            var podTemplate = template ?? [:]
            podTemplate[path: ["metadata", "labels"]] = .object(labels)
            var selector = deployment[path: ["spec", "selector"]] ?? [:]
            selector[path: ["matchLabels", "pod-template-hash"]] = .string(hash)
            let name = "\(deployment.name)-\(hash)"
            var spec: JSONObject = ["replicas": .int(desired), "selector": selector, "template": podTemplate]
            if let minReady = deployment[path: ["spec", "minReadySeconds"]] { spec["minReadySeconds"] = minReady }
            let replicaSet: JSONValue = [
                "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": .object(labels),
                             "annotations": ["deployment.kubernetes.io/desired-replicas": .string(String(desired)),
                                             "deployment.kubernetes.io/max-replicas": .string(String(desired + surge)),
                                             "deployment.kubernetes.io/revision": .string(String(revision))],
                             "ownerReferences": [deployment.controllerReference(apiVersion: "apps/v1", kind: "Deployment")]],
                "spec": .object(spec),
            ]
            if let created = context.create(replicaSet, manager: manager) {
                newSet = created
                owned.append(created)
                context.event(EventSpec(object: deployment, apiVersion: "apps/v1", kind: "Deployment", reason: "ScalingReplicaSet",
                                        message: "Scaled up replica set \(name) from 0 to \(desired)", component: "deployment-controller"))
            }
        }
        if let current = newSet, !paused, current[path: ["spec", "replicas"]]?.int != desired {
            let before = current[path: ["spec", "replicas"]]?.int ?? 0
            if let scaled = context.modify(.replicaSets, current, manager: manager, { $0[path: ["spec", "replicas"]] = .int(desired) }) {
                newSet = scaled
                context.event(EventSpec(object: deployment, apiVersion: "apps/v1", kind: "Deployment", reason: "ScalingReplicaSet",
                                        message: "Scaled \(desired > before ? "up" : "down") replica set \(current.name) from \(before) to \(desired)",
                                        component: "deployment-controller"))
            }
        }
        let newAvailable = newSet?[path: ["status", "availableReplicas"]]?.int ?? 0
        for old in owned where old.uid != newSet?.uid && (old[path: ["spec", "replicas"]]?.int ?? 0) > 0 {
            guard recreate || newAvailable >= desired, !paused else { continue }
            let before = old[path: ["spec", "replicas"]]?.int ?? 0
            context.modify(.replicaSets, old, manager: manager) { $0[path: ["spec", "replicas"]] = 0 }
            context.event(EventSpec(object: deployment, apiVersion: "apps/v1", kind: "Deployment", reason: "ScalingReplicaSet",
                                    message: "Scaled down replica set \(old.name) from \(before) to 0", component: "deployment-controller"))
        }
        writeStatus(deployment, newSet: newSet, owned: owned, desired: desired, context: &context, memory: &memory)
    }

    private static func writeStatus(_ deployment: JSONValue, newSet: JSONValue?, owned: [JSONValue], desired: Int,
                                    context: inout ControllerContext, memory: inout SimulationMemory) {
        func sum(_ field: String) -> Int { owned.reduce(0) { $0 + ($1[path: ["status", field]]?.int ?? 0) } }
        let replicas = sum("replicas")
        let updated = newSet?[path: ["status", "replicas"]]?.int ?? 0
        let ready = sum("readyReplicas")
        let available = sum("availableReplicas")
        let specReplicas = owned.reduce(0) { $0 + ($1[path: ["spec", "replicas"]]?.int ?? 0) }
        let unavailable = max(0, specReplicas - available)
        let newName = newSet?.name ?? ""
        let complete = updated == desired && replicas == desired && available == desired
            && (newSet?[path: ["status", "observedGeneration"]]?.int ?? -1) >= (newSet?[path: ["metadata", "generation"]]?.int ?? 0)

        let signature = "\(newName)/\(updated)/\(ready)/\(available)/\(replicas)"
        if memory.deploymentProgress[deployment.uid]?.signature != signature {
            memory.deploymentProgress[deployment.uid] = (signature, context.now)
        }
        let progressAt = memory.deploymentProgress[deployment.uid]?.at ?? context.now
        let deadline = Double(deployment[path: ["spec", "progressDeadlineSeconds"]]?.int ?? 600)
        let timedOut = !complete && context.now.timeIntervalSince(progressAt) > deadline
        if !complete, !timedOut { context.wake(at: progressAt.addingTimeInterval(deadline + 0.01)) }

        let maxUnavailable = deployment[path: ["spec", "strategy", "type"]]?.string == "Recreate" ? 0
            : Workload.scaled(deployment[path: ["spec", "strategy", "rollingUpdate", "maxUnavailable"]] ?? "25%", of: desired, roundUp: false)
        let previous = deployment[path: ["status", "conditions"]]?.array ?? []
        let isAvailable = available >= desired - maxUnavailable
        var conditions: [JSONValue] = [
            condition("Available", isAvailable, reason: isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                      message: isAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                      previous: previous, now: context.now),
        ]
        if timedOut {
            conditions.append(condition("Progressing", false, reason: "ProgressDeadlineExceeded",
                                        message: "ReplicaSet \"\(newName)\" has timed out progressing.", previous: previous, now: context.now))
        } else if complete {
            conditions.append(condition("Progressing", true, reason: "NewReplicaSetAvailable",
                                        message: "ReplicaSet \"\(newName)\" has successfully progressed.", previous: previous, now: context.now))
        } else {
            conditions.append(condition("Progressing", true, reason: "ReplicaSetUpdated",
                                        message: "ReplicaSet \"\(newName)\" is progressing.", previous: previous, now: context.now))
        }
        var status = Workload.status([
            ("observedGeneration", deployment[path: ["metadata", "generation"]] ?? 1), ("replicas", .int(replicas)),
            ("updatedReplicas", .int(updated)), ("readyReplicas", .int(ready)), ("availableReplicas", .int(available)),
            ("unavailableReplicas", .int(unavailable)),
        ])
        status["conditions"] = .array(conditions)
        context.setStatus(.deployments, deployment, .object(status), manager: manager)
    }

    /// A Deployment condition: lastUpdateTime moves when reason or message does, lastTransitionTime when status does.
    static func condition(_ type: String, _ status: Bool, reason: String, message: String, previous: [JSONValue], now: Date) -> JSONValue {
        let value = status ? "True" : "False"
        let earlier = previous.first { $0["type"]?.string == type }
        let timestamp = JSONValue.string(Timestamp.string(now))
        let sameStatus = earlier?["status"]?.string == value
        let sameText = sameStatus && earlier?["reason"]?.string == reason && earlier?["message"]?.string == message
        var condition = JSONObject()
        condition.append("type", .string(type))
        condition.append("status", .string(value))
        condition.append("lastUpdateTime", sameText ? (earlier?["lastUpdateTime"] ?? timestamp) : timestamp)
        condition.append("lastTransitionTime", sameStatus ? (earlier?["lastTransitionTime"] ?? timestamp) : timestamp)
        condition.append("reason", .string(reason))
        condition.append("message", .string(message))
        return .object(condition)
    }
}
