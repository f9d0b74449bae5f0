import Foundation
import TandemJSON

/// The simulated job controller: pods until `completions` succeeded (SuccessCriteriaMet, then
/// Complete) or more than `backoffLimit` failures (FailureTarget, then Failed with
/// BackoffLimitExceeded). Pod failures count failed pods, and container restarts under
/// `restartPolicy: OnFailure`.
enum JobController {
    static let manager = "kube-controller-manager"

    static func run(_ context: inout ControllerContext, memory: inout SimulationMemory) {
        context.sync(.jobs) { job, context in
            if !job.isDeleting { sync(job, context: &context, memory: &memory) }
        }
    }

    private static func sync(_ job: JSONValue, context: inout ControllerContext, memory: inout SimulationMemory) {
        let conditions = job[path: ["status", "conditions"]]?.array ?? []
        let finished = conditions.contains { ($0["type"] == "Complete" || $0["type"] == "Failed") && $0["status"] == "True" }
        if finished || job[path: ["spec", "suspend"]]?.bool == true { return }
        let namespace = job.namespace
        let pods = context.list(.pods, namespace: namespace).filter { $0.isOwned(by: job) }
        let active = pods.filter { !Workload.isTerminal($0) && !$0.isDeleting }
        let succeeded = pods.filter { $0[path: ["status", "phase"]] == "Succeeded" }.count
        let failedPods = pods.filter { $0[path: ["status", "phase"]] == "Failed" }.count
        let onFailure = job[path: ["spec", "template", "spec", "restartPolicy"]]?.string == "OnFailure"
        let restarts = onFailure ? active.reduce(0) { total, pod in
            total + (pod[path: ["status", "containerStatuses"]]?.array ?? []).reduce(0) { $0 + ($1["restartCount"]?.int ?? 0) }
        } : 0
        let failures = failedPods + restarts
        let completions = job[path: ["spec", "completions"]]?.int ?? 1
        let parallelism = job[path: ["spec", "parallelism"]]?.int ?? 1
        let backoffLimit = job[path: ["spec", "backoffLimit"]]?.int ?? 6
        let now = JSONValue.string(Timestamp.string(context.now))
        let startTime = job[path: ["status", "startTime"]] ?? now
        func event(_ reason: String, _ message: String, warning: Bool = false) {
            context.event(EventSpec(object: job, apiVersion: "batch/v1", kind: "Job", reason: reason, message: message,
                                    type: warning ? "Warning" : "Normal", component: "job-controller"))
        }
        func condition(_ type: String, reason: String, message: String) -> JSONValue {
            ["type": .string(type), "status": "True", "lastProbeTime": now, "lastTransitionTime": now,
             "reason": .string(reason), "message": .string(message)]
        }
        var newConditions: [JSONValue] = []
        var activeCount = active.count
        if succeeded >= completions {
            let message = "Reached expected number of succeeded pods"
            newConditions = [condition("SuccessCriteriaMet", reason: "CompletionsReached", message: message),
                             condition("Complete", reason: "CompletionsReached", message: message)]
            for pod in active { context.delete(.pods, pod) }
            activeCount = 0
            event("Completed", "Job completed")
        } else if failures > backoffLimit {
            let message = "Job has reached the specified backoff limit"
            newConditions = [condition("FailureTarget", reason: "BackoffLimitExceeded", message: message),
                             condition("Failed", reason: "BackoffLimitExceeded", message: message)]
            for pod in active { context.delete(.pods, pod) }
            activeCount = 0
            event("BackoffLimitExceeded", message, warning: true)
        } else {
            let wanted = min(parallelism, completions - succeeded)
            let lastFailure = failedPods > 0 ? memory.jobFailures[job.uid] ?? context.now : nil
            if failedPods > 0, memory.jobFailures[job.uid] == nil { memory.jobFailures[job.uid] = context.now }
            // A replacement after a failure waits one back-off step, as the real one waits 10s.
            let retryAt = lastFailure?.addingTimeInterval(context.seconds(context.options.crashLoopInterval))
            if let retryAt, retryAt > context.now, active.count < wanted {
                context.wake(at: retryAt)
            } else if active.count < wanted {
                memory.jobFailures[job.uid] = nil
                for _ in active.count..<wanted {
                    let name = "\(job.name)-\(NameSuffix.random())"
                    let pod = Workload.pod(name: name, namespace: namespace, template: job[path: ["spec", "template"]], owner: job,
                                           ownerKind: "Job", ownerAPIVersion: "batch/v1", generateName: "\(job.name)-")
                    if context.create(pod, manager: manager) != nil {
                        activeCount += 1
                        event("SuccessfulCreate", "Created pod: \(name)")
                    }
                }
            }
        }
        let failedJob = newConditions.first?["type"] == "FailureTarget"
        let failedCount = failedPods + (failedJob && onFailure ? active.count : 0)
        var status = JSONObject()
        if !newConditions.isEmpty { status["conditions"] = .array(newConditions) }
        status["startTime"] = startTime
        // Only success sets completionTime.
        if !newConditions.isEmpty, !failedJob { status["completionTime"] = now }
        if activeCount > 0 { status["active"] = .int(activeCount) }
        if succeeded > 0 { status["succeeded"] = .int(succeeded) }
        if failedCount > 0 { status["failed"] = .int(failedCount) }
        status["terminating"] = 0
        status["uncountedTerminatedPods"] = .object([:])
        status["ready"] = .int(newConditions.isEmpty ? active.filter(Workload.isReady).count : 0)
        context.setStatus(.jobs, job, .object(status), manager: manager)
    }
}
