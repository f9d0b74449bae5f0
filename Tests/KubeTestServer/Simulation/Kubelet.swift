import Foundation
import TandemJSON

/// When a pod's steps happened, to the millisecond.
struct PodMemory {
    var volumesReadyAt: Date?
    /// Container name → when it was created (its turn came and its configuration was complete).
    var starts: [String: Date] = [:]
}

/// The simulated kubelet of `node-1`: drives the status of the pods bound to it from their
/// spec and the time since each step (see `KubeTestServer` for the behaviours).
enum Kubelet {
    /// What one container looks like now.
    struct Snapshot {
        var status: JSONValue
        var ready = false
        var started = false
        /// Ran and will not run again (exited without restart).
        var terminatedCode: Int?
        /// Has run at least once (running now, or restarting).
        var hasRun = false
        /// When the next container may start after this one (completed init, started sidecar).
        var unblocksAt: Date?
    }

    static func run(_ context: inout ControllerContext, memory: inout SimulationMemory) {
        var live: Set<String> = []
        context.sync(.pods) { pod, context in
            guard !pod.isDeleting, pod[path: ["spec", "nodeName"]]?.string == Scheduler.nodeName else { return }
            live.insert(pod.uid)
            var podMemory = memory.pods[pod.uid] ?? PodMemory()
            let status = sync(pod, memory: &podMemory, context: &context)
            memory.pods[pod.uid] = podMemory
            context.setStatus(.pods, pod, status, manager: "kubelet")
        }
        // What a full pass did not see is gone (a pass over changes alone sees only some pods).
        if context.isFullPass { memory.pods = memory.pods.filter { live.contains($0.key) } }
    }

    private static func sync(_ pod: JSONValue, memory: inout PodMemory, context: inout ControllerContext) -> JSONValue {
        let now = context.now
        let restartPolicy = pod[path: ["spec", "restartPolicy"]]?.string ?? "Always"
        let runsToCompletion = restartPolicy != "Always"
        let initContainers = pod[path: ["spec", "initContainers"]]?.array ?? []
        let containers = pod[path: ["spec", "containers"]]?.array ?? []
        let previous = pod[path: ["status", "conditions"]]?.array ?? []
        var status = JSONObject()

        if let problem = ContainerConfig.volumeProblem(pod, context: context) {
            memory.volumesReadyAt = nil
            context.event(EventSpec(object: pod, apiVersion: "v1", kind: "Pod", reason: "FailedMount", message: problem.message,
                                    type: "Warning", component: "kubelet"))
            status["phase"] = "Pending"
            status["conditions"] = .array(conditions(initialized: initContainers.isEmpty, ready: false, pending: names(containers),
                                                     pendingInit: names(initContainers), previous: previous, now: now))
            status["hostIP"] = "172.18.0.2"
            status["hostIPs"] = [["ip": "172.18.0.2"]]
            status["startTime"] = pod[path: ["status", "startTime"]] ?? .string(Timestamp.string(now))
            if !initContainers.isEmpty {
                status["initContainerStatuses"] = .array(initContainers.map { waiting($0, reason: "PodInitializing", message: nil) })
            }
            status["containerStatuses"] = .array(containers.map {
                waiting($0, reason: initContainers.isEmpty ? "ContainerCreating" : "PodInitializing", message: nil)
            })
            status["qosClass"] = "BestEffort"
            return .object(status)
        }
        let sandboxReady = memory.volumesReadyAt ?? now
        memory.volumesReadyAt = sandboxReady

        var turn: Date? = sandboxReady
        var initSnapshots: [Snapshot] = []
        var initFailed = false
        for container in initContainers {
            let behaviour = ContainerBehaviour(container, isInit: true, runsToCompletion: runsToCompletion, isFirstMain: false)
            let snapshot = step(container, behaviour, turn: turn, pod: pod, memory: &memory, restartPolicy: restartPolicy,
                                context: &context)
            if !behaviour.isSidecar, let code = snapshot.terminatedCode, code != 0 { initFailed = true }
            turn = snapshot.unblocksAt.flatMap { $0 <= now ? $0 : nil }
            if let unblocks = snapshot.unblocksAt, unblocks > now { context.wake(at: unblocks) }
            initSnapshots.append(snapshot)
        }
        let initialized = turn != nil && !initFailed
        var mainSnapshots: [Snapshot] = []
        let heldUnready = pod[path: ["metadata", "annotations", ContainerBehaviour.unreadyAnnotation]]?.string == "true"
        for (index, container) in containers.enumerated() {
            var behaviour = ContainerBehaviour(container, isInit: false, runsToCompletion: runsToCompletion, isFirstMain: index == 0)
            if heldUnready { behaviour.failReadinessProbe() }
            mainSnapshots.append(step(container, behaviour, turn: initialized ? turn : nil, pod: pod, memory: &memory,
                                      restartPolicy: restartPolicy, context: &context))
        }

        let allExited = !mainSnapshots.isEmpty && mainSnapshots.allSatisfy { $0.terminatedCode != nil }
        let phase: String
        if initFailed && restartPolicy == "Never" {
            phase = "Failed"
        } else if allExited {
            phase = mainSnapshots.allSatisfy { $0.terminatedCode == 0 } ? "Succeeded" : "Failed"
        } else if initialized && mainSnapshots.contains(where: { $0.hasRun }) {
            phase = "Running"
        } else {
            phase = "Pending"
        }
        let finished = phase == "Succeeded" || phase == "Failed"
        if finished {
            // Sidecars stop once the main containers are done.
            for (index, container) in initContainers.enumerated() where initSnapshots[index].terminatedCode == nil {
                initSnapshots[index].status = terminated(container, pod: pod, code: 0, started: sandboxReady, finished: now,
                                                         restarts: 0, memory: memory)
                initSnapshots[index].ready = false
            }
        }
        let sidecarsReady = zip(initContainers, initSnapshots).allSatisfy { container, snapshot in
            container["restartPolicy"]?.string != "Always" || snapshot.ready
        }
        let unready = zip(containers, mainSnapshots).filter { !$1.ready }.map { $0.0["name"]?.string ?? "" }
        let incompleteInit = initialized ? [] : zip(initContainers, initSnapshots)
            .filter { $1.terminatedCode != 0 && !($0["restartPolicy"]?.string == "Always" && $1.started) }
            .map { $0.0["name"]?.string ?? "" }
        let ready = !finished && unready.isEmpty && sidecarsReady && phase == "Running"

        status["phase"] = .string(phase)
        if finished {
            status["conditions"] = .array([
                PodConditions.make("Initialized", true, reason: "PodCompleted", previous: previous, now: now),
                PodConditions.make("Ready", false, reason: "PodCompleted", previous: previous, now: now),
                PodConditions.make("ContainersReady", false, reason: "PodCompleted", previous: previous, now: now),
                PodConditions.make("PodScheduled", true, previous: previous, now: now),
            ])
        } else {
            status["conditions"] = .array(conditions(initialized: initialized, ready: ready, pending: unready,
                                                     pendingInit: incompleteInit, previous: previous, now: now))
        }
        status["hostIP"] = "172.18.0.2"
        status["hostIPs"] = [["ip": "172.18.0.2"]]
        let ip = "10.244.0.\(Int(NameSuffix.hash(pod.uid) % 250) + 2)"
        status["podIP"] = .string(ip)
        status["podIPs"] = [["ip": .string(ip)]]
        status["startTime"] = pod[path: ["status", "startTime"]] ?? .string(Timestamp.string(sandboxReady))
        if !initContainers.isEmpty { status["initContainerStatuses"] = .array(initSnapshots.map(\.status)) }
        status["containerStatuses"] = .array(mainSnapshots.map(\.status))
        status["qosClass"] = "BestEffort"
        return .object(status)
    }

    private static func names(_ containers: [JSONValue]) -> [String] { containers.compactMap { $0["name"]?.string } }

    private static func conditions(initialized: Bool, ready: Bool, pending: [String], pendingInit: [String], previous: [JSONValue],
                                   now: Date) -> [JSONValue] {
        let notReady = "containers with unready status: [\(pending.joined(separator: " "))]"
        return [
            initialized ? PodConditions.make("Initialized", true, previous: previous, now: now)
                : PodConditions.make("Initialized", false, reason: "ContainersNotInitialized",
                                     message: "containers with incomplete status: [\(pendingInit.joined(separator: " "))]", previous: previous, now: now),
            ready ? PodConditions.make("Ready", true, previous: previous, now: now)
                : PodConditions.make("Ready", false, reason: "ContainersNotReady", message: notReady, previous: previous, now: now),
            ready ? PodConditions.make("ContainersReady", true, previous: previous, now: now)
                : PodConditions.make("ContainersReady", false, reason: "ContainersNotReady", message: notReady, previous: previous, now: now),
            PodConditions.make("PodScheduled", true, previous: previous, now: now),
        ]
    }

    // MARK: - One container

    private static func step(_ container: JSONValue, _ behaviour: ContainerBehaviour, turn: Date?, pod: JSONValue,
                             memory: inout PodMemory, restartPolicy: String, context: inout ControllerContext) -> Snapshot {
        let now = context.now
        let name = behaviour.name
        guard let turn, turn <= now else {
            if let turn { context.wake(at: turn) }
            return Snapshot(status: waiting(container, reason: "PodInitializing", message: nil))
        }
        let fieldPath = "spec.\(isInit(container, pod) ? "initContainers" : "containers"){\(name)}"
        func event(_ reason: String, _ message: String, warning: Bool = false, count: Int = 1) {
            context.event(EventSpec(object: pod, apiVersion: "v1", kind: "Pod", reason: reason, message: message,
                                    type: warning ? "Warning" : "Normal", component: "kubelet", fieldPath: fieldPath, count: count))
        }
        if memory.starts[name] == nil {
            if !behaviour.pullFails, let problem = ContainerConfig.problem(container, namespace: pod.namespace, context: context) {
                event("Pulled", "Container image \"\(behaviour.image)\" already present on machine")
                event("Failed", "Error: \(problem)", warning: true)
                return Snapshot(status: waiting(container, reason: "CreateContainerConfigError", message: problem))
            }
            memory.starts[name] = turn
        }
        let start = memory.starts[name] ?? now
        let startDelay = context.seconds(context.options.containerStartDelay)
        let readyDelay = context.seconds(context.options.readinessDelay)
        let runTime = context.seconds(context.options.runDuration)
        let backoff = context.seconds(context.options.crashLoopInterval)
        let elapsed = now.timeIntervalSince(start)
        let runningAt = start.addingTimeInterval(startDelay)

        if behaviour.pullFails {
            event("Pulling", "Pulling image \"\(behaviour.image)\"")
            guard elapsed >= startDelay else {
                context.wake(at: runningAt)
                return Snapshot(status: waiting(container, reason: "ContainerCreating", message: nil))
            }
            let pullError = "failed to pull and unpack image \"\(behaviour.image)\": failed to resolve reference \"\(behaviour.image)\": failed to do request: Head \"https://\(ContainerBehaviour.unpullableHost)/v2/\": dial tcp: lookup \(ContainerBehaviour.unpullableHost): no such host"
            let backoffs = Int((elapsed - startDelay) / backoff)
            event("Failed", "Failed to pull image \"\(behaviour.image)\": \(pullError)", warning: true, count: backoffs / 2 + 1)
            event("Failed", "Error: ErrImagePull", warning: true, count: backoffs / 2 + 1)
            context.wake(at: runningAt.addingTimeInterval(Double(backoffs + 1) * backoff))
            if backoffs == 0 {
                return Snapshot(status: waiting(container, reason: "ErrImagePull", message: pullError))
            }
            event("BackOff", "Back-off pulling image \"\(behaviour.image)\"", count: backoffs)
            event("Failed", "Error: ImagePullBackOff", warning: true, count: backoffs)
            return Snapshot(status: waiting(container, reason: "ImagePullBackOff", message: "Back-off pulling image \"\(behaviour.image)\""))
        }
        guard elapsed >= startDelay else {
            context.wake(at: runningAt)
            return Snapshot(status: waiting(container, reason: "ContainerCreating", message: nil))
        }
        switch behaviour.outcome {
        case .runsForever:
            event("Pulled", "Container image \"\(behaviour.image)\" already present on machine")
            event("Created", "Created container: \(name)")
            event("Started", "Started container \(name)")
            let readyAt = behaviour.hasReadinessProbe ? runningAt.addingTimeInterval(readyDelay) : runningAt
            let ready = behaviour.readinessFailure == nil && now >= readyAt
            if now < readyAt { context.wake(at: readyAt) } else if let failure = behaviour.readinessFailure {
                let failures = Int(now.timeIntervalSince(readyAt) / max(backoff, 0.05)) + 1
                event("Unhealthy", failure, warning: true, count: failures)
                context.wake(at: readyAt.addingTimeInterval(Double(failures) * max(backoff, 0.05)))
            }
            return Snapshot(status: running(container, pod: pod, since: runningAt, ready: ready, restarts: 0, last: nil, memory: memory),
                            ready: ready, started: true, hasRun: true, unblocksAt: runningAt)
        case .exits(let code):
            let restarts = restartPolicy == "Always" || (restartPolicy == "OnFailure" && code != 0)
            if !restarts {
                event("Pulled", "Container image \"\(behaviour.image)\" already present on machine")
                event("Created", "Created container: \(name)")
                event("Started", "Started container \(name)")
                let endsAt = runningAt.addingTimeInterval(runTime)
                if now < endsAt {
                    context.wake(at: endsAt)
                    return Snapshot(status: running(container, pod: pod, since: runningAt, ready: false, restarts: 0, last: nil,
                                                    memory: memory), started: true, hasRun: true)
                }
                return Snapshot(status: terminated(container, pod: pod, code: code, started: runningAt, finished: endsAt, restarts: 0,
                                                   memory: memory),
                                terminatedCode: code, hasRun: true, unblocksAt: code == 0 ? endsAt : nil)
            }
            let period = runTime + backoff
            let run = Int((elapsed - startDelay) / period)
            let runStart = runningAt.addingTimeInterval(Double(run) * period)
            let runEnd = runStart.addingTimeInterval(runTime)
            event("Pulled", "Container image \"\(behaviour.image)\" already present on machine", count: run + 1)
            event("Created", "Created container: \(name)", count: run + 1)
            event("Started", "Started container \(name)", count: run + 1)
            func lastState(_ index: Int) -> JSONValue {
                let begun = runningAt.addingTimeInterval(Double(index) * period)
                return terminatedState(code: code, started: begun, finished: begun.addingTimeInterval(runTime),
                                       containerID: containerID(pod, name, index))
            }
            if now < runEnd {
                context.wake(at: runEnd)
                return Snapshot(status: running(container, pod: pod, since: runStart, ready: false, restarts: run,
                                                last: run > 0 ? lastState(run - 1) : nil, memory: memory),
                                started: true, hasRun: true)
            }
            context.wake(at: runStart.addingTimeInterval(period))
            event("BackOff", "Back-off restarting failed container \(name) in pod \(podRef(pod))", warning: true, count: run + 1)
            let message = "back-off \(goDuration(min(300, 10 << min(run, 5)))) restarting failed container=\(name) pod=\(podRef(pod))"
            var status = waiting(container, reason: "CrashLoopBackOff", message: message, restarts: run + 1)
            status["lastState"] = ["terminated": lastState(run)]
            status["containerID"] = .string(containerID(pod, name, run))
            return Snapshot(status: status, hasRun: true)
        }
    }

    private static func isInit(_ container: JSONValue, _ pod: JSONValue) -> Bool {
        (pod[path: ["spec", "initContainers"]]?.array ?? []).contains { $0["name"] == container["name"] }
    }

    /// `web-5d4f8b7c9-x2x7q_shop(uid)`: how the kubelet names a pod in messages.
    static func podRef(_ pod: JSONValue) -> String { "\(pod.name)_\(pod.namespace)(\(pod.uid))" }

    /// Go's duration format for whole seconds: `10s`, `1m20s`, `5m0s`.
    static func goDuration(_ seconds: Int) -> String {
        seconds < 60 ? "\(seconds)s" : "\(seconds / 60)m\(seconds % 60)s"
    }
}
