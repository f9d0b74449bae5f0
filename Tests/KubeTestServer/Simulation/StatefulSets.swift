import Foundation
import TandemJSON

/// The simulated statefulset controller: pods `NAME-0`...`NAME-(n-1)` created in order (each
/// once the previous is ready, unless `podManagementPolicy: Parallel`), claims from
/// `volumeClaimTemplates`, rolling updates from the highest ordinal, revisions in status.
enum StatefulSetController {
    static let manager = "kube-controller-manager"

    static func run(_ context: inout ControllerContext) {
        context.sync(.statefulSets) { set, context in
            if !set.isDeleting { sync(set, context: &context) }
        }
    }

    private static func sync(_ set: JSONValue, context: inout ControllerContext) {
        let namespace = set.namespace
        let revision = "\(set.name)-\(Workload.templateHash(set[path: ["spec", "template"]]))"
        let desired = set[path: ["spec", "replicas"]]?.int ?? 1
        let ordered = set[path: ["spec", "podManagementPolicy"]]?.string != "Parallel"
        var pods: [Int: JSONValue] = [:]
        for pod in context.list(.pods, namespace: namespace) where pod.isOwned(by: set) {
            if let ordinal = Int(pod.name.dropFirst(set.name.count + 1)), pod.name.hasPrefix(set.name + "-") { pods[ordinal] = pod }
        }
        func event(_ reason: String, _ message: String) {
            context.event(EventSpec(object: set, apiVersion: "apps/v1", kind: "StatefulSet", reason: reason, message: message,
                                    component: "statefulset-controller"))
        }
        // Scale up, in order.
        for ordinal in 0..<desired where pods[ordinal] == nil {
            if ordered, (0..<ordinal).contains(where: { pods[$0].map { !Workload.isReady($0) || $0.isDeleting } ?? true }) { break }
            let name = "\(set.name)-\(ordinal)"
            var pod = Workload.pod(name: name, namespace: namespace, template: set[path: ["spec", "template"]], owner: set,
                                   ownerKind: "StatefulSet", ownerAPIVersion: "apps/v1",
                                   extraLabels: [("controller-revision-hash", revision), ("statefulset.kubernetes.io/pod-name", name),
                                                 ("apps.kubernetes.io/pod-index", String(ordinal))])
            pod[path: ["spec", "hostname"]] = .string(name)
            if let service = set[path: ["spec", "serviceName"]]?.string, !service.isEmpty { pod[path: ["spec", "subdomain"]] = .string(service) }
            var volumes = pod[path: ["spec", "volumes"]]?.array ?? []
            for claimTemplate in set[path: ["spec", "volumeClaimTemplates"]]?.array ?? [] {
                let templateName = claimTemplate[path: ["metadata", "name"]]?.string ?? "data"
                let claimName = "\(templateName)-\(name)"
                if context.get(.persistentVolumeClaims, namespace: namespace, name: claimName) == nil {
                    var labels = set[path: ["spec", "selector", "matchLabels"]]?.object ?? [:]
                    for member in claimTemplate[path: ["metadata", "labels"]]?.object ?? [:] { labels[member.key] = member.value }
                    let claim: JSONValue = ["apiVersion": "v1", "kind": "PersistentVolumeClaim",
                                            "metadata": ["name": .string(claimName), "namespace": .string(namespace), "labels": .object(labels)],
                                            "spec": claimTemplate["spec"] ?? [:]]
                    if context.create(claim, manager: manager) != nil {
                        event("SuccessfulCreate", "create Claim \(claimName) Pod \(name) in StatefulSet \(set.name) success")
                    }
                }
                if !volumes.contains(where: { $0["name"]?.string == templateName }) {
                    volumes.append(["name": .string(templateName), "persistentVolumeClaim": ["claimName": .string(claimName)]])
                }
            }
            if !volumes.isEmpty { pod[path: ["spec", "volumes"]] = .array(volumes) }
            if let created = context.create(pod, manager: manager) {
                pods[ordinal] = created
                event("SuccessfulCreate", "create Pod \(name) in StatefulSet \(set.name) successful")
            }
            if ordered { break }
        }
        // Scale down, from the highest ordinal.
        for ordinal in pods.keys.sorted(by: >) where ordinal >= desired {
            guard let pod = pods[ordinal] else { continue }
            if !pod.isDeleting {
                context.delete(.pods, pod)
                event("SuccessfulDelete", "delete Pod \(pod.name) in StatefulSet \(set.name) successful")
            }
            pods[ordinal] = nil
            if ordered { break }
        }
        // Rolling update: replace the highest outdated pod once all are ready.
        let current = (0..<desired).compactMap { pods[$0] }
        if current.count == desired, current.allSatisfy(Workload.isReady),
           set[path: ["spec", "updateStrategy", "type"]]?.string != "OnDelete" {
            let partition = set[path: ["spec", "updateStrategy", "rollingUpdate", "partition"]]?.int ?? 0
            if let outdated = (partition..<max(partition, desired)).reversed().compactMap({ pods[$0] })
                .first(where: { Workload.labels($0)["controller-revision-hash"]?.string != revision }) {
                context.delete(.pods, outdated)
                event("SuccessfulDelete", "delete Pod \(outdated.name) in StatefulSet \(set.name) successful")
            }
        }
        let live = context.list(.pods, namespace: namespace).filter { $0.isOwned(by: set) && !$0.isDeleting }
        let updated = live.filter { Workload.labels($0)["controller-revision-hash"]?.string == revision }.count
        let ready = live.filter(Workload.isReady).count
        var currentRevision = set[path: ["status", "currentRevision"]]?.string ?? revision
        if updated == desired, live.count == desired { currentRevision = revision }
        let currentCount = live.filter { Workload.labels($0)["controller-revision-hash"]?.string == currentRevision }.count
        var status = Workload.status([
            ("observedGeneration", set[path: ["metadata", "generation"]] ?? 1), ("replicas", .int(live.count)),
            ("readyReplicas", .int(ready)), ("currentReplicas", .int(currentCount)), ("updatedReplicas", .int(updated)),
        ], always: ["replicas"])
        status["currentRevision"] = .string(currentRevision)
        status["updateRevision"] = .string(revision)
        status["collisionCount"] = 0
        status["availableReplicas"] = .int(ready)
        context.setStatus(.statefulSets, set, .object(status), manager: manager)
    }
}

/// The simulated daemonset controller, for a cluster of one node: one pod, replaced when the
/// template changes.
enum DaemonSetController {
    static let manager = "kube-controller-manager"

    static func run(_ context: inout ControllerContext) {
        context.sync(.daemonSets) { set, context in
            guard !set.isDeleting else { return }
            let namespace = set.namespace
            let hash = Workload.templateHash(set[path: ["spec", "template"]])
            let generation = set[path: ["metadata", "generation"]]?.int ?? 1
            let pods = context.list(.pods, namespace: namespace).filter { $0.isOwned(by: set) && !$0.isDeleting }
            for pod in pods where Workload.labels(pod)["controller-revision-hash"]?.string != hash {
                context.delete(.pods, pod)
                context.event(EventSpec(object: set, apiVersion: "apps/v1", kind: "DaemonSet", reason: "SuccessfulDelete",
                                        message: "Deleted pod: \(pod.name)", component: "daemonset-controller"))
            }
            if !pods.contains(where: { Workload.labels($0)["controller-revision-hash"]?.string == hash }) {
                let name = "\(set.name)-\(NameSuffix.random())"
                var pod = Workload.pod(name: name, namespace: namespace, template: set[path: ["spec", "template"]], owner: set,
                                       ownerKind: "DaemonSet", ownerAPIVersion: "apps/v1",
                                       extraLabels: [("controller-revision-hash", hash), ("pod-template-generation", String(generation))],
                                       generateName: "\(set.name)-")
                pod[path: ["spec", "nodeName"]] = .string(Scheduler.nodeName)
                if context.create(pod, manager: manager) != nil {
                    context.event(EventSpec(object: set, apiVersion: "apps/v1", kind: "DaemonSet", reason: "SuccessfulCreate",
                                            message: "Created pod: \(name)", component: "daemonset-controller"))
                }
            }
            let live = context.list(.pods, namespace: namespace).filter { $0.isOwned(by: set) && !$0.isDeleting }
            let updated = live.filter { Workload.labels($0)["controller-revision-hash"]?.string == hash }
            let ready = live.filter(Workload.isReady).count
            let status = Workload.status([
                ("currentNumberScheduled", .int(live.count)), ("numberMisscheduled", 0), ("desiredNumberScheduled", 1),
                ("numberReady", .int(ready)), ("observedGeneration", .int(generation)), ("updatedNumberScheduled", .int(updated.count)),
                ("numberAvailable", .int(ready)), ("numberUnavailable", .int(max(0, 1 - ready))),
            ], always: ["currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady"])
            context.setStatus(.daemonSets, set, .object(status), manager: manager)
        }
    }
}
