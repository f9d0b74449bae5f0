import Foundation
import KubeClient
import KubeModel
import TandemJSON

/// The health of one object, by kstatus's rules (sigs.k8s.io/cli-utils, kstatus): generic
/// checks (deletion, observed generation, `Reconciling`/`Stalled` conditions), then per kind.
/// Two rules go further than kstatus, as `up` needs: a Job is done only when it completed (a
/// running Job is in progress, a failed one failed), and a LoadBalancer Service waits for an
/// ingress address.
public enum HealthRules {
    public static func verdict(of object: KubeObject, now: Date = Date()) -> HealthVerdict {
        let json = object.json
        if json[path: ["metadata", "deletionTimestamp"]]?.string != nil {
            return HealthVerdict(.terminating, reason: "Terminating", "Resource scheduled for deletion")
        }
        if let generation = json[path: ["metadata", "generation"]]?.int,
           let observed = json[path: ["status", "observedGeneration"]]?.int, generation != observed {
            return .inProgress("LatestGenerationNotObserved",
                               "\(object.kind) generation is \(generation), but latest observed generation is \(observed)")
        }
        let conditions = Conditions(json[path: ["status", "conditions"]])
        if let reconciling = conditions["Reconciling"], reconciling.isTrue {
            return .inProgress(reconciling.reason, reconciling.message)
        }
        if let stalled = conditions["Stalled"], stalled.isTrue {
            return .failed(stalled.reason, stalled.message)
        }
        switch KindCatalog.entry(for: object.gvk.groupKind).health {
        case .deployment: return deployment(json, conditions)
        case .statefulSet: return statefulSet(json)
        case .daemonSet: return daemonSet(json)
        case .replicaSet: return replicaSet(json, conditions)
        case .job: return job(json, conditions)
        case .pod: return pod(json, conditions, now: now)
        case .persistentVolumeClaim:
            let phase = json[path: ["status", "phase"]]?.string ?? "unknown"
            return phase == "Bound" ? .current("PVC is Bound") : .inProgress("NotBound", "PVC is not Bound. phase: \(phase)")
        case .service: return service(json)
        case .customResourceDefinition: return definition(conditions)
        case .alwaysReady: return .current("Resource is always ready")
        case .generic: return .current("Resource is current")
        }
    }

    private static func int(_ json: JSONValue, _ path: [String], _ fallback: Int = 0) -> Int {
        json[path: path]?.int ?? fallback
    }

    static func deployment(_ json: JSONValue, _ conditions: Conditions) -> HealthVerdict {
        var progressing = json[path: ["spec", "progressDeadlineSeconds"]] == nil
        var available = false
        if let condition = conditions["Progressing"] {
            if condition.reason == "ProgressDeadlineExceeded" {
                return .failed(condition.reason, "Progress deadline exceeded" + (condition.message.isEmpty ? "" : ": \(condition.message)"))
            }
            if condition.isTrue && condition.reason == "NewReplicaSetAvailable" { progressing = true }
        }
        if conditions["Available"]?.isTrue == true { available = true }
        let spec = int(json, ["spec", "replicas"], 1)
        let replicas = int(json, ["status", "replicas"])
        let updated = int(json, ["status", "updatedReplicas"])
        let ready = int(json, ["status", "readyReplicas"])
        let availableReplicas = int(json, ["status", "availableReplicas"])
        if spec > replicas { return .inProgress("LessReplicas", "Replicas: \(replicas)/\(spec)") }
        if spec > updated { return .inProgress("LessUpdated", "Updated: \(updated)/\(spec)") }
        if replicas > spec { return .inProgress("ExtraPods", "Pending termination: \(replicas - spec)") }
        if updated > availableReplicas { return .inProgress("LessAvailable", "Available: \(availableReplicas)/\(updated)") }
        if spec > ready { return .inProgress("LessReady", "Ready: \(ready)/\(spec)") }
        if !progressing { return .inProgress("ReplicaSetNotAvailable", "ReplicaSet not Available") }
        if !available { return .inProgress("DeploymentNotAvailable", "Deployment not Available") }
        return .current("Deployment is available. Replicas: \(replicas)")
    }

    static func statefulSet(_ json: JSONValue) -> HealthVerdict {
        if json[path: ["spec", "updateStrategy", "type"]]?.string == "OnDelete" {
            return .current("StatefulSet is using the ondelete update strategy")
        }
        let spec = int(json, ["spec", "replicas"], 1)
        let replicas = int(json, ["status", "replicas"])
        let ready = int(json, ["status", "readyReplicas"])
        let current = int(json, ["status", "currentReplicas"])
        let updated = int(json, ["status", "updatedReplicas"])
        let partition = int(json, ["spec", "updateStrategy", "rollingUpdate", "partition"], -1)
        if spec > replicas { return .inProgress("LessReplicas", "Replicas: \(replicas)/\(spec)") }
        if spec > ready { return .inProgress("LessReady", "Ready: \(ready)/\(spec)") }
        if replicas > spec { return .inProgress("ExtraPods", "Pending termination: \(replicas - spec)") }
        if partition != -1 {
            if updated < spec - partition { return .inProgress("PartitionRollout", "updated: \(updated)/\(spec - partition)") }
            return .current("Partition rollout complete. updated: \(updated)")
        }
        if spec > current { return .inProgress("LessCurrent", "current: \(current)/\(spec)") }
        if json[path: ["status", "currentRevision"]] != json[path: ["status", "updateRevision"]] {
            return .inProgress("RevisionMismatch", "Waiting for updated revision to match current")
        }
        return .current("All replicas scheduled as expected. Replicas: \(replicas)")
    }

    static func daemonSet(_ json: JSONValue) -> HealthVerdict {
        if json[path: ["metadata", "generation"]] == nil { return .inProgress("NoGeneration", "DaemonSet metadata.generation not found") }
        if json[path: ["status", "observedGeneration"]] == nil {
            return .inProgress("NoObservedGeneration", "DaemonSet status.observedGeneration not found")
        }
        guard let desired = json[path: ["status", "desiredNumberScheduled"]]?.int else {
            return .inProgress("NoDesiredNumber", "Missing .status.desiredNumberScheduled")
        }
        let current = int(json, ["status", "currentNumberScheduled"])
        let updated = int(json, ["status", "updatedNumberScheduled"])
        let available = int(json, ["status", "numberAvailable"])
        let ready = int(json, ["status", "numberReady"])
        if desired > current { return .inProgress("LessCurrent", "Current: \(current)/\(desired)") }
        if desired > updated { return .inProgress("LessUpdated", "Updated: \(updated)/\(desired)") }
        if desired > available { return .inProgress("LessAvailable", "Available: \(available)/\(desired)") }
        if desired > ready { return .inProgress("LessReady", "Ready: \(ready)/\(desired)") }
        return .current("All replicas scheduled as expected. Replicas: \(desired)")
    }

    static func replicaSet(_ json: JSONValue, _ conditions: Conditions) -> HealthVerdict {
        if conditions["ReplicaFailure"]?.isTrue == true { return .inProgress("ReplicaFailure", "Replica Failure condition. Check Pods") }
        let spec = int(json, ["spec", "replicas"], 1)
        let labelled = int(json, ["status", "fullyLabeledReplicas"])
        let available = int(json, ["status", "availableReplicas"])
        let ready = int(json, ["status", "readyReplicas"])
        let replicas = int(json, ["status", "replicas"])
        if spec > labelled { return .inProgress("LessLabelled", "Labelled: \(labelled)/\(spec)") }
        if spec > available { return .inProgress("LessAvailable", "Available: \(available)/\(spec)") }
        if spec > ready { return .inProgress("LessReady", "Ready: \(ready)/\(spec)") }
        if replicas > spec { return .inProgress("ExtraPods", "Pending termination: \(replicas - spec)") }
        return .current("ReplicaSet is available. Replicas: \(replicas)")
    }

    /// kstatus counts a running Job as current; a deploy waits for it to finish.
    static func job(_ json: JSONValue, _ conditions: Conditions) -> HealthVerdict {
        let parallelism = int(json, ["spec", "parallelism"], 1)
        let completions = int(json, ["spec", "completions"], parallelism)
        let succeeded = int(json, ["status", "succeeded"])
        let active = int(json, ["status", "active"])
        let failed = int(json, ["status", "failed"])
        for condition in conditions.all where condition.isTrue {
            switch condition.type {
            case "Complete": return .current("Job Completed. succeeded: \(succeeded)/\(completions)")
            case "Failed":
                return .failed(condition.reason.isEmpty ? "JobFailed" : condition.reason,
                               "Job Failed. failed: \(failed)/\(completions)" + (condition.message.isEmpty ? "" : ": \(condition.message)"))
            case "Suspended": return .current("Job is suspended")
            default: continue
            }
        }
        if json[path: ["status", "startTime"]] == nil { return .inProgress("JobNotStarted", "Job not started") }
        return .inProgress("JobRunning", "Job in progress. succeeded: \(succeeded)/\(completions), active: \(active), failed: \(failed)")
    }

    static func pod(_ json: JSONValue, _ conditions: Conditions, now: Date) -> HealthVerdict {
        switch json[path: ["status", "phase"]]?.string ?? "" {
        case "Succeeded": return .current("Pod has completed successfully")
        case "Failed": return .current("Pod has completed, but not successfully")
        case "Running":
            if conditions["Ready"]?.isTrue == true { return .current("Pod is Ready") }
            let crashing = (json[path: ["status", "containerStatuses"]]?.array ?? [])
                .filter { $0[path: ["state", "waiting", "reason"]]?.string == "CrashLoopBackOff" }
                .compactMap { $0["name"]?.string }
            if !crashing.isEmpty {
                return .failed("ContainerCrashLooping", "Containers in CrashLoop state: \(crashing.joined(separator: ","))")
            }
            return .inProgress("PodRunningNotReady", "Pod is running but is not Ready")
        case "Pending":
            if let scheduled = conditions["PodScheduled"], scheduled.status == "False", scheduled.reason == "Unschedulable" {
                let created = json[path: ["metadata", "creationTimestamp"]]?.string.flatMap(Timestamps.parse)
                if let created, now.timeIntervalSince(created) < 15 { return .inProgress("PodNotScheduled", "Pod has not been scheduled") }
                return .failed("PodUnschedulable", "Pod could not be scheduled" + (scheduled.message.isEmpty ? "" : ": \(scheduled.message)"))
            }
            return .inProgress("PodPending", "Pod is in the Pending phase")
        case "": return .inProgress("PodNotObserved", "Pod phase not available")
        case let phase: return HealthVerdict(.unknown, reason: "UnknownPhase", "unknown phase \(phase)")
        }
    }

    static func service(_ json: JSONValue) -> HealthVerdict {
        guard json[path: ["spec", "type"]]?.string == "LoadBalancer" else { return .current("Service is ready") }
        if (json[path: ["spec", "clusterIP"]]?.string ?? "").isEmpty {
            return .inProgress("NoIPAssigned", "ClusterIP not set. Service type: LoadBalancer")
        }
        let ingress = json[path: ["status", "loadBalancer", "ingress"]]?.array ?? []
        guard let first = ingress.first else { return .inProgress("NoIngress", "waiting for a load balancer address") }
        return .current("Service is ready at \(first["ip"]?.string ?? first["hostname"]?.string ?? "its load balancer")")
    }

    static func definition(_ conditions: Conditions) -> HealthVerdict {
        if let names = conditions["NamesAccepted"], names.status == "False" { return .failed(names.reason, names.message) }
        if let established = conditions["Established"] {
            if established.status == "False", established.reason != "Installing" { return .failed(established.reason, established.message) }
            if established.isTrue { return .current("CRD is established") }
        }
        return .inProgress("Installing", "Install in progress")
    }
}

/// An object's `status.conditions`, by type.
struct Conditions {
    struct Condition {
        var type: String
        var status: String
        var reason: String
        var message: String
        var isTrue: Bool { status == "True" }
    }

    var all: [Condition]

    init(_ json: JSONValue?) {
        all = (json?.array ?? []).compactMap { entry in
            guard let type = entry["type"]?.string else { return nil }
            return Condition(type: type, status: entry["status"]?.string ?? "Unknown", reason: entry["reason"]?.string ?? "",
                             message: entry["message"]?.string ?? "")
        }
    }

    subscript(type: String) -> Condition? { all.first { $0.type == type } }
}
