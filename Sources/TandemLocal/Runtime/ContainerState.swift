import Foundation

/// What the supervisor knows of one container, as a kubelet knows it: its state, its last
/// termination, restarts, whether it started (its startup probe passed) and is ready, and the
/// last result of each probe.
struct ContainerState: Sendable {
    enum State: Sendable, Equatable {
        case waiting(reason: String, message: String)
        case running(since: Date)
        case terminated(Termination)
    }

    struct Termination: Sendable, Equatable {
        var exitCode: Int
        var reason: String
        var startedAt: Date?
        var finishedAt: Date
    }

    var plan: ContainerPlan
    var state: State = .waiting(reason: "ContainerCreating", message: "")
    var lastTermination: Termination?
    var restarts = 0
    var started = false
    var ready = false
    var probes: [ProbeKind: ProbeRecord] = [:]
    /// Bumped at every start: probe loops of an earlier run see it and stop.
    var generation = 0
    /// When a crashed container may start again.
    var backOffUntil: Date?
    /// Why the supervisor last stopped it (a failed liveness probe), to name the termination.
    var stoppedBecause: String?

    init(plan: ContainerPlan) {
        self.plan = plan
    }

    var isRunning: Bool { if case .running = state { return true } else { return false } }
    var termination: Termination? { if case .terminated(let termination) = state { return termination } else { return nil } }
    var hasStarted: Bool { isRunning || termination != nil || restarts > 0 }
}

/// The last result of one probe of a container.
struct ProbeRecord: Sendable, Equatable {
    var succeeded: Bool
    var message: String
    var consecutiveFailures: Int
    var consecutiveSuccesses: Int
    var time: Date
}

/// What the supervisor knows of one pod.
struct PodState: Sendable {
    enum Phase: String, Sendable {
        case pending = "Pending", running = "Running", succeeded = "Succeeded", failed = "Failed"
    }

    var plan: PodPlan
    /// Its Kubernetes name: the plan's, or a replacement's (`migrate-0-retry-1`).
    var name: String
    var phase: Phase = .pending
    /// A replacement pod of a Job waits out the Job controller's back-off before it starts.
    var startAfter: Date?
    var podIP: String?
    var infraPID: Int32?
    var containers: [String: ContainerState]
    var startedAt: Date?
    /// How many times a Job's pod failed (its main containers exited with an error).
    var failures = 0
    var message: String?

    init(plan: PodPlan) {
        self.plan = plan
        name = plan.name
        var containers: [String: ContainerState] = [:]
        for container in plan.allContainers { containers[container.name] = ContainerState(plan: container) }
        self.containers = containers
    }

    /// Regular (not init) containers that still run, sidecars of a Job aside.
    var regular: [ContainerState] { plan.containers.compactMap { containers[$0.name] } }
    var ready: Bool {
        phase == .running && plan.containers.allSatisfy { containers[$0.name]?.ready == true }
            && plan.initContainers.filter(\.isNativeSidecar).allSatisfy { containers[$0.name]?.ready == true }
    }
}

/// A Kubernetes-style event: what happened to a container, counted when it repeats.
struct EventRecord: Sendable {
    var type: String
    var reason: String
    var message: String
    var pod: String
    /// `spec.containers{name}`, as events name the part of a pod they speak of.
    var fieldPath: String?
    var count: Int
    var first: Date
    var last: Date
}
