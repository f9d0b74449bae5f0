import Foundation

/// Runs an application's pods after `up --local` created them, as a kubelet would: starts init
/// containers and native sidecars in order (each native sidecar started, and past its startup
/// probe, before the next), then the other containers together; runs every probe on its
/// schedule; restarts containers by the pod's restart policy with Kubernetes' back-off (10 s,
/// doubling to 5 min) and when a liveness or startup probe fails `failureThreshold` times in a
/// row; stops the native sidecars of a Job's pod once its containers have finished, so the Job
/// completes. It writes what it sees, as Kubernetes objects, to the state folder's
/// `status.json` for `up`, `status` and `logs`. It runs detached, so `up -d` can return.
public actor LocalSupervisor {
    public static let commandName = "local-supervise"

    /// The plan it carries out: an update writes a new one, which it reads within a second.
    var plan: LocalPlan
    var planDate: Date?
    let podman: Podman
    let state: StateDirectory
    let probeRunner: ProbeRunner
    /// By podman name: a pod and its successor of an update run side by side.
    var pods: [String: PodState] = [:]
    /// An update's new pods and the pods they replace, until each new one is ready.
    var successors: [String: String] = [:]
    /// New pods waiting for their turn: one pod of a workload is replaced at a time.
    var held: Set<String> = []
    /// A Job's failed pods that were replaced, shown as a cluster keeps them.
    var replaced: [PodState] = []
    var events: [EventRecord] = []
    var dirty = true
    var needsStep = true
    var forwarders: ForwarderProcesses
    /// The endpoints file as last written.
    var endpoints = ""
    /// Each Service's pod address: its ClusterIP, as status shows it.
    var serviceIPs: [String: String] = [:]
    let startedAt = Date()

    public init(plan: LocalPlan, podman: Podman, state: StateDirectory, probeRunner: ProbeRunner) {
        self.plan = plan
        self.podman = podman
        self.state = state
        self.probeRunner = probeRunner
        forwarders = ForwarderProcesses(runner: probeRunner, state: state)
        for pod in plan.pods { pods[pod.podmanName] = PodState(plan: pod) }
        planDate = state.planDate
    }

    /// Runs until the process is stopped (by `down --local`, or Ctrl-C on `up`), or its state
    /// folder is gone.
    public func run() async {
        var lastPoll = ContinuousClock.now - .seconds(10)
        while !Task.isCancelled {
            let now = ContinuousClock.now
            if now - lastPoll >= .seconds(1) {
                // Its application was removed (its state folder with it): nothing is left to run.
                if !FileManager.default.fileExists(atPath: state.planFile) { return }
                await reloadIfUpdated()
                await poll()
                await rollOut()
                await keepForwarders()
                lastPoll = now
                needsStep = true
            }
            if needsStep {
                needsStep = false
                await stepAll()
            }
            if dirty {
                dirty = false
                writeStatus()
                writeEndpoints()
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    // MARK: Pods

    private func stepAll() async {
        await withTaskGroup(of: Void.self) { group in
            for name in pods.keys.filter({ !held.contains($0) }) {
                group.addTask { await self.step(name) }
            }
        }
    }

    /// Moves one pod on: the next init container or native sidecar, then the others, restarts
    /// whose back-off is over, and a Job's end.
    private func step(_ name: String) async {
        guard let pod = pods[name] else { return }
        guard pod.phase == .pending || pod.phase == .running else { return await stopRemaining(name) }
        if let startAfter = pod.startAfter {
            guard startAfter <= Date() else { return }
            pods[name]?.startAfter = nil
        }
        for container in pod.plan.initContainers {
            guard let current = pods[name]?.containers[container.name] else { return }
            if container.isNativeSidecar {
                if !current.hasStarted { return await start(name, [container.name]) }
                if await restartIfDue(name, current) { return }
                if !current.started { return }
            } else {
                if let termination = current.termination, termination.exitCode == 0, current.backOffUntil == nil { continue }
                if !current.hasStarted { return await start(name, [container.name]) }
                _ = await restartIfDue(name, current)
                return
            }
        }
        let never = pod.plan.containers.filter { pods[name]?.containers[$0.name]?.hasStarted == false }.map(\.name)
        if !never.isEmpty { await start(name, never) }
        for container in pod.plan.containers {
            if let current = pods[name]?.containers[container.name] { _ = await restartIfDue(name, current) }
        }
        if pod.plan.kind.runsToCompletion { await finishJobIfDone(name) }
    }

    /// Starts a crashed container again once its back-off is over.
    private func restartIfDue(_ pod: String, _ container: ContainerState) async -> Bool {
        guard let until = container.backOffUntil, !container.isRunning else { return false }
        if until <= Date() {
            await start(pod, [container.plan.name])
        }
        return true
    }

    private func start(_ podName: String, _ names: [String]) async {
        guard let pod = pods[podName] else { return }
        var probing: [(name: String, generation: Int)] = []
        await withTaskGroup(of: (String, SubprocessResult?, String?).self) { group in
            for name in names {
                guard let container = pod.containers[name] else { continue }
                let podman = self.podman
                group.addTask {
                    do {
                        return (name, try await podman.attempt(["start", container.plan.podmanName]), nil)
                    } catch {
                        return (name, nil, "\(error)")
                    }
                }
            }
            for await (name, result, failure) in group {
                guard var container = pods[podName]?.containers[name] else { continue }
                let wasStarted = container.hasStarted
                if let result, result.status == 0 {
                    if wasStarted { container.restarts += 1 }
                    container.state = .running(since: Date())
                    container.generation += 1
                    container.started = container.plan.startupProbe == nil
                    container.ready = container.started && container.plan.readinessProbe == nil
                    container.backOffUntil = nil
                    container.stoppedBecause = nil
                    pods[podName]?.containers[name] = container
                    probing.append((name, container.generation))
                } else {
                    let message = failure ?? result?.errorLine ?? "podman start failed"
                    if wasStarted { container.restarts += 1 }
                    container.state = .waiting(reason: "RunContainerError", message: message)
                    container.backOffUntil = Date().addingTimeInterval(Self.backOff(container.restarts))
                    pods[podName]?.containers[name] = container
                    event("Warning", "Failed", "Error: \(message)", pod: podName, container: container.plan)
                }
            }
        }
        if pods[podName]?.phase == .pending {
            pods[podName]?.phase = .running
            pods[podName]?.startedAt = Date()
        }
        // Network probes run in the pod's network: find it before the first probe.
        if pods[podName]?.infraPID == nil { await locateNetwork(podName) }
        for (name, generation) in probing { launchProbes(podName, name, generation: generation) }
        dirty = true
        needsStep = true
    }

    /// The pod's IP and the process that holds its network namespace, where network probes run.
    private func locateNetwork(_ podName: String) async {
        guard let pod = pods[podName] else { return }
        let format = "{{.State.Pid}} " + LocalLauncher.addressFormat
        guard let result = try? await podman.run(["inspect", "--type", "container", "--format", format, LocalLauncher.infraName(pod.plan)])
        else { return }
        let words = result.output.split(whereSeparator: \.isWhitespace).map(String.init)
        if let pid = words.first.flatMap(Int32.init), pid > 0 { pods[podName]?.infraPID = pid }
        if words.count > 1, !words[1].isEmpty, words[1] != "<no" { pods[podName]?.podIP = words[1] }
    }

    /// Kubernetes' crash back-off: the first restart at once, then 10 s doubling to 5 minutes.
    static func backOff(_ restarts: Int) -> TimeInterval {
        restarts <= 1 ? 0 : min(300, 10 * pow(2, Double(restarts - 2)))
    }

    // MARK: Exits

    /// What podman says of every container of the application, once a second.
    private func poll() async {
        guard let list = try? await podman.json(["ps", "--all", "--filter", "label=\(LocalNames.appLabel)=\(plan.key)",
                                                 "--format", "json"]) else { return }
        var states: [String: (running: Bool, exitCode: Int, exitedAt: Date?)] = [:]
        for entry in list.array ?? [] {
            guard let name = entry["Names"]?.array?.first?.string else { continue }
            let exitedAt = entry["ExitedAt"]?.int.flatMap { $0 > 0 ? Date(timeIntervalSince1970: Double($0)) : nil }
            states[name] = (entry["State"]?.string == "running", entry["ExitCode"]?.int ?? 0, exitedAt)
        }
        for (podName, pod) in pods {
            for (name, container) in pod.containers where container.isRunning {
                let seen = states[container.plan.podmanName]
                if seen?.running == true { continue }
                exited(podName, name, exitCode: seen?.exitCode ?? 137, at: seen?.exitedAt ?? Date())
            }
        }
    }

    /// A container ended: it is restarted, or not, by the pod's restart policy.
    private func exited(_ podName: String, _ name: String, exitCode: Int, at finished: Date) {
        guard var pod = pods[podName], var container = pod.containers[name] else { return }
        var startedAt: Date?
        if case .running(let since) = container.state { startedAt = since }
        let reason = exitCode == 0 ? "Completed" : (container.stoppedBecause ?? "Error")
        let termination = ContainerState.Termination(exitCode: exitCode, reason: reason, startedAt: startedAt, finishedAt: finished)
        container.state = .terminated(termination)
        container.lastTermination = termination
        container.generation += 1
        container.ready = false
        container.started = false
        let finishing = pod.phase == .succeeded || pod.phase == .failed
        var restart: Bool
        switch (container.plan.role, pod.plan.restartPolicy) {
        case ("init", _): restart = exitCode != 0 && pod.plan.restartPolicy != "Never"
        case ("native-sidecar", _): restart = !finishing
        case (_, "Always"): restart = true
        case (_, "OnFailure"): restart = exitCode != 0
        default: restart = false
        }
        if pod.plan.kind.runsToCompletion, pod.plan.restartPolicy == "OnFailure", exitCode != 0,
           container.plan.role == "main" || container.plan.role == "sidecar" {
            // OnFailure: the kubelet restarts it in place, until the Job's back-off limit.
            // (Never: the pod fails, and the Job controller replaces it: finishJobIfDone.)
            pod.failures += 1
            restart = pod.failures <= pod.plan.backoffLimit
            if !restart {
                pod.message = "Job has reached the specified backoff limit"
            }
        }
        if restart && !finishing {
            let delay = Self.backOff(container.restarts + 1)
            container.backOffUntil = Date().addingTimeInterval(delay)
            if delay > 0 {
                container.state = .waiting(reason: "CrashLoopBackOff",
                                           message: "back-off \(Int(delay))s restarting failed container=\(name) pod=\(podName)")
                event("Warning", "BackOff", "Back-off restarting failed container \(name) in pod \(podName)", pod: podName, container: container.plan)
            }
        } else {
            container.backOffUntil = nil
        }
        pod.containers[name] = container
        if !restart, container.plan.role == "init", exitCode != 0 {
            pod.phase = .failed
            pod.message = "init container \(name) failed"
        }
        pods[podName] = pod
        dirty = true
        needsStep = true
    }

    /// A Job's pod is done when its containers have ended (native sidecars aside): the native
    /// sidecars are stopped, last started first, and the pod succeeds or fails.
    private func finishJobIfDone(_ podName: String) async {
        guard let pod = pods[podName], pod.phase == .running else { return }
        let containers = pod.plan.containers.compactMap { pod.containers[$0.name] }
        guard containers.allSatisfy({ $0.termination != nil && $0.backOffUntil == nil }) else { return }
        let succeeded = containers.allSatisfy { $0.termination?.exitCode == 0 }
        pods[podName]?.phase = succeeded ? .succeeded : .failed
        dirty = true
        await stopRemaining(podName)
        if !succeeded, pod.plan.restartPolicy == "Never" { replaceFailedPod(podName) }
    }

    /// A Job's pod that failed with `restartPolicy: Never` is kept, failed, and a new pod takes
    /// its place, as the Job controller does, until `backoffLimit` pods have failed; the new
    /// pod starts after the controller's back-off (10 s, doubling). Locally the new pod runs
    /// the same podman containers again.
    private func replaceFailedPod(_ podName: String) {
        guard var failed = pods[podName] else { return }
        let failures = failed.failures + 1
        failed.failures = failures
        guard failures <= failed.plan.backoffLimit else {
            failed.message = "Job has reached the specified backoff limit"
            pods[podName] = failed
            return
        }
        replaced.append(failed)
        var next = PodState(plan: failed.plan)
        next.name = "\(failed.plan.name)-retry-\(failures)"
        next.failures = failures
        next.startAfter = Date().addingTimeInterval(min(360, 10 * pow(2, Double(failures - 1))))
        next.infraPID = failed.infraPID
        next.podIP = failed.podIP
        // Probe loops of the failed pod's containers see a newer generation and end.
        for (name, container) in failed.containers { next.containers[name]?.generation = container.generation + 1 }
        pods[podName] = next
        dirty = true
        needsStep = true
    }

    /// A finished pod's containers that still run (its native sidecars) are stopped, last
    /// started first.
    private func stopRemaining(_ podName: String) async {
        guard let pod = pods[podName] else { return }
        // What is stopped because its pod is done (a Job's native sidecar) has completed, whatever its exit code.
        for container in pod.plan.allContainers.reversed() where pods[podName]?.containers[container.name]?.isRunning == true {
            await stop(podName, container.name, because: "Completed")
        }
    }

    /// Stops a container, within the pod's grace period, and notes how it ended.
    private func stop(_ podName: String, _ name: String, because reason: String?) async {
        guard let pod = pods[podName], let container = pod.containers[name] else { return }
        pods[podName]?.containers[name]?.generation += 1
        pods[podName]?.containers[name]?.ready = false
        pods[podName]?.containers[name]?.stoppedBecause = reason
        let grace = String(pod.plan.terminationGracePeriodSeconds)
        _ = try? await podman.attempt(["stop", "--time", grace, container.plan.podmanName])
        let code = (try? await podman.run(["inspect", "--type", "container", "--format", "{{.State.ExitCode}}",
                                           container.plan.podmanName]))
            .flatMap { Int($0.output.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 137
        if pods[podName]?.containers[name]?.isRunning == true { exited(podName, name, exitCode: code, at: Date()) }
    }

    // MARK: Probes

    private func launchProbes(_ pod: String, _ name: String, generation: Int) {
        guard let container = pods[pod]?.containers[name]?.plan else { return }
        if let startup = container.startupProbe {
            spawnProbe(.startup, startup, pod, name, generation)
            return
        }
        if let liveness = container.livenessProbe { spawnProbe(.liveness, liveness, pod, name, generation) }
        if let readiness = container.readinessProbe { spawnProbe(.readiness, readiness, pod, name, generation) }
    }

    private func spawnProbe(_ kind: ProbeKind, _ probe: ProbeSpec, _ pod: String, _ name: String, _ generation: Int) {
        let runner = probeRunner
        Task {
            if probe.initialDelaySeconds > 0 { try? await Task.sleep(for: .seconds(probe.initialDelaySeconds)) }
            while let target = self.target(pod, name, generation) {
                let outcome = await runner.run(probe, container: target.container, infraPID: target.infraPID, podIP: target.podIP)
                guard self.record(kind, outcome, pod, name, generation) else { return }
                try? await Task.sleep(for: .seconds(probe.periodSeconds))
            }
        }
    }

    /// Where to probe, while the container runs the same run; nil once it does not.
    private func target(_ pod: String, _ name: String, _ generation: Int) -> (container: String, infraPID: Int32?, podIP: String?)? {
        guard let state = pods[pod], let container = state.containers[name], container.generation == generation,
              container.isRunning else { return nil }
        return (container.plan.podmanName, state.infraPID, state.podIP)
    }

    /// Notes a probe's result and acts on it; false when its loop should end.
    private func record(_ kind: ProbeKind, _ outcome: ProbeOutcome, _ pod: String, _ name: String, _ generation: Int) -> Bool {
        guard var container = pods[pod]?.containers[name], container.generation == generation, container.isRunning,
              let probe = [ProbeKind.startup: container.plan.startupProbe, .liveness: container.plan.livenessProbe,
                           .readiness: container.plan.readinessProbe][kind] ?? nil else { return false }
        var record = container.probes[kind] ?? ProbeRecord(succeeded: false, message: "", consecutiveFailures: 0, consecutiveSuccesses: 0, time: Date())
        record.succeeded = outcome.success
        record.message = outcome.message
        record.time = Date()
        record.consecutiveSuccesses = outcome.success ? record.consecutiveSuccesses + 1 : 0
        record.consecutiveFailures = outcome.success ? 0 : record.consecutiveFailures + 1
        container.probes[kind] = record
        dirty = true
        var keepGoing = true
        if outcome.success {
            switch kind {
            case .readiness:
                if record.consecutiveSuccesses >= probe.successThreshold { container.ready = true }
            case .startup:
                container.started = true
                container.ready = container.plan.readinessProbe == nil
                keepGoing = false
                needsStep = true
            case .liveness:
                break
            }
        } else {
            event("Warning", "Unhealthy", "\(kind.title) probe failed: \(outcome.message)", pod: pod, container: container.plan)
            if record.consecutiveFailures >= probe.failureThreshold {
                switch kind {
                case .readiness:
                    container.ready = false
                case .liveness, .startup:
                    event("Normal", "Killing", "Container \(name) failed \(kind.rawValue) probe, will be restarted", pod: pod,
                          container: container.plan)
                    keepGoing = false
                    Task { await self.stop(pod, name, because: "Error") }
                }
            }
        }
        pods[pod]?.containers[name] = container
        if kind == .startup, !keepGoing, outcome.success {
            if let liveness = container.plan.livenessProbe { spawnProbe(.liveness, liveness, pod, name, generation) }
            if let readiness = container.plan.readinessProbe { spawnProbe(.readiness, readiness, pod, name, generation) }
        }
        return keepGoing
    }

    // MARK: Updates

    /// An update wrote a new plan (`LocalLauncher.update`, which made its new pods): pods no
    /// longer wanted go now, a changed pod's successor waits for its turn, and the Services
    /// that were made again get new forwarders.
    private func reloadIfUpdated() async {
        let date = state.planDate
        guard date != planDate, let next = try? state.readPlan(), next.generation != plan.generation else { return }
        planDate = date
        let wanted = Set(next.pods.map(\.podmanName))
        let names = Set(next.pods.map(\.name))
        for service in LocalUpdate.services(running: plan, wanted: next).remove { forwarders.stop(service.name) }
        // Gone, or a successor of an earlier update that a newer one replaces before it was ready.
        for (key, pod) in pods where !wanted.contains(key) && (!names.contains(pod.plan.name) || successors[key] != nil) {
            await remove(key)
        }
        for pod in next.pods where pods[pod.podmanName] == nil {
            pods[pod.podmanName] = PodState(plan: pod)
            if let predecessor = pods.first(where: { $0.value.plan.name == pod.name && $0.key != pod.podmanName })?.key {
                successors[pod.podmanName] = predecessor
                held.insert(pod.podmanName)
            }
        }
        plan = next
        dirty = true
        needsStep = true
    }

    /// A successor that is ready (or, a Job's, has finished) takes its predecessor's place; then
    /// the next held one of its workload may start, as its controller would start it
    /// (`Replacement`): beside its predecessor, after it, or all at once after all of them.
    private func rollOut() async {
        for (successor, predecessor) in successors where !held.contains(successor) {
            guard let pod = pods[successor], pod.ready || pod.phase == .succeeded || pod.phase == .failed else { continue }
            await remove(predecessor)
            successors[successor] = nil
        }
        var busy = Set(successors.keys.filter { !held.contains($0) }.compactMap { pods[$0]?.plan.workload })
        for successor in held.sorted(by: turnOrder) where held.contains(successor) {
            guard let plan = pods[successor]?.plan, !busy.contains(plan.workload) else { continue }
            let turn = plan.replacement == .recreate ? held.filter { pods[$0]?.plan.workload == plan.workload } : [successor]
            if plan.replacement != .startFirst {
                for next in turn { if let predecessor = successors[next] { await remove(predecessor) } }
            }
            held.subtract(turn)
            busy.insert(plan.workload)
            needsStep = true
        }
        if successors.isEmpty, !held.isEmpty { held.removeAll() }
    }

    /// Whose turn comes first: a StatefulSet replaces its pods from the highest ordinal down, the others from the lowest up.
    private func turnOrder(_ first: String, _ second: String) -> Bool {
        guard let one = pods[first]?.plan, let other = pods[second]?.plan else { return first < second }
        let ordinal = { (pod: PodPlan) in Int(pod.name.split(separator: "-").last ?? "") ?? 0 }
        if one.workload != other.workload { return one.workload < other.workload }
        return one.kind == .statefulSet ? ordinal(one) > ordinal(other) : ordinal(one) < ordinal(other)
    }

    /// Stops and removes a pod (its emptyDir volumes with it), within its grace period.
    private func remove(_ key: String) async {
        guard let pod = pods.removeValue(forKey: key) else { return }
        successors[key] = nil
        held.remove(key)
        dirty = true
        // Out of its Services' endpoints before it stops, as a terminating pod leaves them.
        writeEndpoints()
        let grace = String(min(pod.plan.terminationGracePeriodSeconds, 10))
        _ = try? await podman.attempt(["pod", "rm", "--force", "--time", grace, key])
        let emptyDirs = Set(pod.plan.volumes.values.compactMap { source -> String? in
            guard case .volume(let name) = source, name.hasPrefix(key + "_") else { return nil }
            return name
        })
        if !emptyDirs.isEmpty { _ = try? await podman.attempt(["volume", "rm", "--force"] + emptyDirs.sorted()) }
    }

    // MARK: Services

    /// Starts the forwarder of every Service that has none running (it ended, or this is the start).
    private func keepForwarders() async {
        for service in plan.services where service.ports.contains(where: { $0.proto == "tcp" }) {
            guard !forwarders.isRunning(service.name) else { continue }
            let infra = PodmanArguments.infraName(service.podmanName)
            let format = "{{.State.Pid}} " + LocalLauncher.addressFormat
            guard let result = try? await podman.run(["inspect", "--type", "container", "--format", format, infra]) else { continue }
            let words = result.output.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let pid = words.first.flatMap(Int32.init), pid > 0 else { continue }
            if words.count > 1, serviceIPs[service.name] != words[1] {
                serviceIPs[service.name] = words[1]
                dirty = true
            }
            do {
                try forwarders.start(service, infraPID: pid)
            } catch {
                try? FileHandle.standardError.write(contentsOf: Data("tandem local-supervise: \(error)\n".utf8))
            }
        }
    }

    /// Every Service's ready pods, at the port each Service port targets in them, for the forwarders.
    private func writeEndpoints() {
        let text = LocalEndpoints.document(plan, pods: Array(pods.values))
        guard text != endpoints else { return }
        if (try? StateDirectory.writeAtomically(Data(text.utf8), to: state.endpointsFile)) != nil { endpoints = text }
    }

    // MARK: Events and status

    private func event(_ type: String, _ reason: String, _ message: String, pod: String, container: ContainerPlan?) {
        // Named as the pod is now (a Job's replacement has a name of its own).
        let podName = pods[pod]?.name ?? pod
        let fieldPath = container.map { "spec.\($0.role == "init" || $0.isNativeSidecar ? "initContainers" : "containers"){\($0.name)}" }
        let now = Date()
        if let index = events.lastIndex(where: { $0.pod == podName && $0.fieldPath == fieldPath && $0.reason == reason && $0.message == message }) {
            events[index].count += 1
            events[index].last = now
        } else {
            events.append(EventRecord(type: type, reason: reason, message: message, pod: podName, fieldPath: fieldPath, count: 1, first: now, last: now))
            if events.count > 200 { events.removeFirst(events.count - 200) }
        }
        dirty = true
    }

    private func writeStatus() {
        let status = KubeletView(plan: plan, pods: pods, rollingOut: !successors.isEmpty, serviceIPs: serviceIPs, replaced: replaced, events: events, supervisorPID: getpid(), startedAt: startedAt).statusDocument()
        try? StateDirectory.writeAtomically(Data(status.utf8), to: state.statusFile)
    }
}
