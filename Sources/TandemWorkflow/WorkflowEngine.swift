import Foundation
import TandemCUE
import TandemJSON
import TandemModel
import TandemRendering

/// Runs a workflow as KubeVela does, level-based: the status it is given is its only memory.
/// Each call runs what can run now and returns the new status, stopping at a gate that does not
/// hold, a suspend, a failure, or the end.
public struct WorkflowEngine: Sendable {
    let workflow: Workflow
    let application: RenderedApplication
    let host: any WorkflowHost
    /// The steps each step waits for: earlier steps of its list in StepByStep mode, and its dependsOn.
    let waitsFor: [String: [String]]
    let specs: [String: WorkflowStepSpec]

    /// KubeVela's limit of attempts for a step that fails (MaxWorkflowStepErrorRetryTimes).
    static let maxFailedTimes = 10

    public init(workflow: Workflow, application: RenderedApplication, host: any WorkflowHost) {
        self.workflow = workflow
        self.application = application
        self.host = host
        var waitsFor: [String: [String]] = [:]
        var specs: [String: WorkflowStepSpec] = [:]
        func record(_ list: [WorkflowStepSpec], mode: Application.WorkflowMode.Kind) {
            for (index, spec) in list.enumerated() {
                waitsFor[spec.name] = (mode == .stepByStep ? list[..<index].map(\.name) : []) + spec.dependsOn
                specs[spec.name] = spec
                record(spec.subSteps, mode: workflow.mode.subSteps ?? .dag)
            }
        }
        record(workflow.steps, mode: workflow.mode.steps ?? .stepByStep)
        self.waitsFor = waitsFor
        self.specs = specs
    }

    /// Runs what can run now and returns the new status. Given the status it returned last
    /// time (read back from where the host keeps it), it goes on from there.
    public func advance(_ status: WorkflowStatus, now: Date, events: @escaping @Sendable (WorkflowEvent) -> Void) async -> WorkflowStatus {
        guard !status.isFinished else { return status }
        var state = status
        let now = WorkflowTime.seconds(now)
        if state.phase == .initializing {
            state.phase = .executing
            state.startTime = now
        }
        state.mode = workflow.modeText
        state.steps = skeleton(workflow.steps, existing: state.steps)
        state.nextCheck = nil
        guard !state.suspended else {
            state.phase = .suspending
            return state
        }
        var run = Pass(now: now, events: events)
        let top = workflow.steps.indices.map { StepAddress(index: $0, sub: nil) }
        while await advance(workflow.steps, at: top, mode: workflow.mode.steps ?? .stepByStep, &state, &run) {}
        conclude(&state, now: now, events: events)
        state.nextCheck = state.isFinished ? nil : run.nextCheck
        return state
    }

    // MARK: - Steps in their lists

    /// Where a step's status sits: `steps[index]`, or `steps[index].subSteps[sub]`.
    struct StepAddress {
        var index: Int
        var sub: Int?
    }

    /// What one call to `advance` gathers beside the status.
    struct Pass {
        let now: Date
        let events: @Sendable (WorkflowEvent) -> Void
        var nextCheck: Date?

        mutating func check(at date: Date) {
            nextCheck = min(nextCheck ?? date, date)
        }
    }

    /// One round over a list of steps: runs those whose turn it is. True when a step finished,
    /// so another round may start more.
    private func advance(_ list: [WorkflowStepSpec], at addresses: [StepAddress], mode: Application.WorkflowMode.Kind,
                         _ state: inout WorkflowStatus, _ pass: inout Pass) async -> Bool {
        var finished = false
        var ready: [(spec: WorkflowStepSpec, address: StepAddress)] = []
        for (spec, address) in zip(list, addresses) {
            guard !state[address].isFinished else { continue }
            let waited = (waitsFor[spec.name] ?? []).compactMap { state.step($0) }
            if let unfinished = waited.first(where: { !$0.isFinished }) {
                if mode == .stepByStep { break }
                // As KubeVela says of a step that waits in a graph.
                if state[address].phase == .pending { state[address].message = "Pending on DependsOn: \(unfinished.name)" }
                continue
            }
            if state[address].phase == .pending {
                guard inputsReady(spec, at: address, &state, pass) else {
                    if state[address].isFinished { finished = true }
                    if mode == .stepByStep { break } else { continue }
                }
                switch decide(spec, state) {
                case .run:
                    break
                case .skip(let message):
                    // A skipped group's sub-steps are skipped with it.
                    for sub in spec.subSteps.indices {
                        state[StepAddress(index: address.index, sub: sub)].phase = .skipped
                        state[StepAddress(index: address.index, sub: sub)].reason = StepStatus.Reason.skip
                    }
                    state[address].phase = .skipped
                    state[address].reason = StepStatus.Reason.skip
                    state[address].message = message
                    pass.events(.skipped(step: spec.name))
                    finished = true
                    continue
                case .fail(let message):
                    fail(&state[address], message, reason: StepStatus.Reason.action, pass)
                    finished = true
                    continue
                }
            }
            ready.append((spec, address))
            if mode == .stepByStep { break }
        }
        var executions: [(spec: WorkflowStepSpec, address: StepAddress, run: StepRun)] = []
        for (spec, address) in ready {
            let before = state[address].isFinished
            if let run = prepare(spec, at: address, &state, &pass) {
                if spec.type == StepType.stepGroup {
                    await advanceGroup(spec, at: address, &state, &pass)
                } else {
                    executions.append((spec, address, run))
                }
            }
            if !before, state[address].isFinished { finished = true }
        }
        let outcomes = await withTaskGroup(of: (Int, StepOutcome).self) { group in
            for (position, execution) in executions.enumerated() {
                group.addTask { (position, await StepExecutor.execute(execution.run)) }
            }
            var outcomes: [Int: StepOutcome] = [:]
            for await (position, outcome) in group { outcomes[position] = outcome }
            return outcomes
        }
        for (position, execution) in executions.enumerated() {
            guard let outcome = outcomes[position] else { continue }
            record(outcome, of: execution.run, at: execution.address, &state, &pass)
            if state[execution.address].isFinished { finished = true }
        }
        return finished
    }

    /// A step-group: its sub-steps run in the sub-steps' mode; it ends when they all have.
    private func advanceGroup(_ spec: WorkflowStepSpec, at address: StepAddress, _ state: inout WorkflowStatus, _ pass: inout Pass) async {
        let addresses = spec.subSteps.indices.map { StepAddress(index: address.index, sub: $0) }
        while await advance(spec.subSteps, at: addresses, mode: workflow.mode.subSteps ?? .dag, &state, &pass) {}
        let subSteps = state.steps[address.index].subSteps
        if subSteps.allSatisfy(\.isFinished) {
            if let failed = subSteps.first(where: { $0.phase == .failed }) {
                fail(&state[address], "sub-step '\(failed.name)' failed" + (failed.message.map { ": \($0)" } ?? ""),
                     reason: failed.reason ?? StepStatus.Reason.action, pass)
            } else {
                succeed(&state[address], message: nil, pass)
            }
        } else if subSteps.contains(where: { $0.phase == .suspending }) {
            state[address].phase = .suspending
            state[address].reason = StepStatus.Reason.suspend
        } else {
            state[address].phase = .running
            state[address].reason = nil
        }
    }

    // MARK: - One step

    private enum Decision { case run, skip(String?), fail(String) }

    /// Whether a step whose turn it is runs: `if: always` does; a condition is evaluated; a
    /// step without one runs unless a step it waits for failed.
    private func decide(_ spec: WorkflowStepSpec, _ state: WorkflowStatus) -> Decision {
        guard let condition = spec.condition?.trimmingCharacters(in: .whitespaces) else {
            return (waitsFor[spec.name] ?? []).contains { unsuccessful($0, state) } ? .skip(nil) : .run
        }
        if condition == "always" { return .run }
        do {
            let expression = try CUEExpression(condition)
            let value = try expression.evaluate(in: ["status": conditionStatus(state), "inputs": inputs(of: spec, state).values,
                                                      "context": stepContext(spec, state), "parameter": spec.properties])
            guard let result = value.bool else { return .fail("if: '\(condition)' is not true or false") }
            return result ? .run : .skip(nil)
        } catch let error as CUESyntaxErrors {
            return .fail("if: '\(condition)' does not parse: \(error)")
        } catch {
            // As KubeVela: a condition that cannot be decided (it names no step, say) skips the step.
            return .skip("if: '\(condition)' cannot be decided: \(error)")
        }
    }

    /// Whether every input of a step has a value. A step stays pending while a step that
    /// outputs a missing one may still run, and fails once none can.
    private func inputsReady(_ spec: WorkflowStepSpec, at address: StepAddress, _ state: inout WorkflowStatus, _ pass: Pass) -> Bool {
        guard let missing = inputs(of: spec, state).missing.first else { return true }
        let producers = specs.values.filter { $0.outputs.contains { $0.name == missing } }.map(\.name)
        if producers.allSatisfy({ state.step($0)?.isFinished ?? true }) {
            fail(&state[address], "no step has output '\(missing)'", reason: StepStatus.Reason.input, pass)
        } else {
            state[address].message = "Pending on Input: \(missing)"
        }
        return false
    }

    /// Whether a step failed, or was skipped because one it waits for did.
    private func unsuccessful(_ name: String, _ state: WorkflowStatus) -> Bool {
        guard let status = state.step(name) else { return false }
        switch status.phase {
        case .failed: return true
        case .skipped:
            guard specs[name]?.condition == nil else { return false }
            return (waitsFor[name] ?? []).contains { unsuccessful($0, state) }
        default: return false
        }
    }

    /// The `status` an `if` reads: each step that has started, by name.
    private func conditionStatus(_ state: WorkflowStatus) -> JSONValue {
        var object = JSONObject()
        for step in state.allSteps where step.phase != .pending {
            guard case .object(var fields) = step.json else { continue }
            fields["subSteps"] = nil
            for key in ["message", "reason"] where fields[key] == nil { fields.append(key, "") }
            fields.append("succeeded", .bool(step.phase == .succeeded))
            fields.append("failed", .bool(step.phase == .failed))
            fields.append("skipped", .bool(step.phase == .skipped))
            fields.append("timeout", .bool(step.reason == StepStatus.Reason.timeout))
            fields.append("failedAfterRetries", .bool(step.reason == StepStatus.Reason.failedAfterRetries))
            fields.append("terminate", .bool(step.reason == StepStatus.Reason.terminate))
            object.append(step.name, .object(fields))
        }
        return .object(object)
    }

    /// The step's inputs: by output name, and any that no step has output (yet).
    private func inputs(of spec: WorkflowStepSpec, _ state: WorkflowStatus) -> (values: JSONValue, missing: [String]) {
        var values = JSONObject()
        var missing: [String] = []
        for input in spec.inputs {
            if let value = Self.output(named: input.from, in: state.outputs) {
                values.append(input.from, value)
            } else {
                missing.append(input.from)
            }
        }
        return (.object(values), missing)
    }

    /// An output by name: outputs are global to the workflow, the latest step's winning.
    static func output(named name: String, in outputs: JSONValue) -> JSONValue? {
        outputs.object?.members.reversed().lazy.compactMap { $0.value[name] }.first
    }

    /// Starts a step (or goes on with it): its start time, timeout, back-off after a failure
    /// and inputs. The run to execute, or nil when there is nothing to execute now.
    private func prepare(_ spec: WorkflowStepSpec, at address: StepAddress, _ state: inout WorkflowStatus, _ pass: inout Pass) -> StepRun? {
        let now = pass.now
        if state[address].phase == .pending {
            state[address].phase = .running
            state[address].message = nil
            state[address].firstExecuteTime = now
            pass.events(.started(step: spec.name, type: spec.type))
        }
        let first = state[address].firstExecuteTime ?? now
        if let timeout = spec.timeout, let seconds = GoDuration.seconds(timeout) {
            let deadline = first.addingTimeInterval(seconds)
            if deadline <= now {
                timeOut(spec, at: address, after: timeout, &state, pass)
                return nil
            }
            pass.check(at: deadline)
        }
        if state[address].phase == .suspending, spec.type != StepType.stepGroup {
            // Nothing changes until a resume, or the end of the suspend's duration: then the step is done.
            guard let until = state.context[path: ["resumeAt", spec.name]]?.string.flatMap(WorkflowTime.parse) else { return nil }
            if until > now {
                pass.check(at: until)
            } else {
                succeed(&state[address], message: nil, pass)
            }
            return nil
        }
        if state[address].phase == .failed {
            let failures = failedTimes(spec.name, state)
            let retryAt = (state[address].lastExecuteTime ?? now).addingTimeInterval(Self.backoff(afterFailures: failures))
            if retryAt > now {
                pass.check(at: retryAt)
                return nil
            }
        }
        let inputs = inputs(of: spec, state)
        var properties = spec.properties
        for input in spec.inputs {
            guard let path = input.parameterPath, let value = inputs.values[input.from] else { continue }
            properties = Self.setting(value, at: path, in: properties)
        }
        return StepRun(spec: spec, properties: properties, application: application, host: host, now: now, firstExecuteTime: first,
                       resumed: state.context[path: ["resumed", spec.name]] == true, context: stepContext(spec, state))
    }

    /// A step (and, for a group, its unfinished sub-steps) that ran out of time.
    private func timeOut(_ spec: WorkflowStepSpec, at address: StepAddress, after timeout: String, _ state: inout WorkflowStatus, _ pass: Pass) {
        let message = "the step did not finish within its timeout of \(timeout)"
        if address.sub == nil {
            for sub in state.steps[address.index].subSteps.indices where !state.steps[address.index].subSteps[sub].isFinished {
                fail(&state.steps[address.index].subSteps[sub], message, reason: StepStatus.Reason.timeout, pass)
            }
        }
        fail(&state[address], message, reason: StepStatus.Reason.timeout, pass)
    }

    /// Writes what a run came to into the step's status.
    private func record(_ outcome: StepOutcome, of run: StepRun, at address: StepAddress, _ state: inout WorkflowStatus, _ pass: inout Pass) {
        let spec = run.spec
        state[address].lastExecuteTime = pass.now
        switch outcome {
        case .succeeded(let value, let message):
            var produced = JSONObject()
            // As in KubeVela, valueFrom reads the step's value, where context and parameter are too.
            var scope = value.object ?? JSONObject()
            if scope["context"] == nil { scope.append("context", run.context) }
            if scope["parameter"] == nil { scope.append("parameter", run.properties) }
            for output in spec.outputs {
                do {
                    produced.append(output.name, try CUEExpression(output.valueFrom).evaluate(in: .object(scope)))
                } catch {
                    fail(&state[address], "output '\(output.name)': valueFrom '\(output.valueFrom)' has no value: \(error)",
                         reason: StepStatus.Reason.output, pass)
                    return
                }
            }
            if !produced.isEmpty {
                var outputs = state.context["outputs"] ?? .object([:])
                outputs[spec.name] = .object(produced)
                state.context["outputs"] = outputs
            }
            succeed(&state[address], message: message, pass)
        case .waiting(let message):
            if state[address].message != message || state[address].reason != StepStatus.Reason.wait {
                pass.events(.waiting(step: spec.name, message: message))
            }
            state[address].phase = .running
            state[address].reason = StepStatus.Reason.wait
            state[address].message = message
            let waited = pass.now.timeIntervalSince(state[address].firstExecuteTime ?? pass.now)
            pass.check(at: pass.now.addingTimeInterval(Self.waitInterval(afterWaiting: waited)))
        case .suspended(let until, let message):
            if state[address].phase != .suspending {
                pass.events(.suspended(step: spec.name, message: message ?? ""))
            }
            state[address].phase = .suspending
            state[address].reason = StepStatus.Reason.suspend
            state[address].message = message
            if let until {
                pass.check(at: until)
                var resumeAt = state.context["resumeAt"] ?? .object([:])
                resumeAt[spec.name] = .string(WorkflowTime.format(until))
                state.context["resumeAt"] = resumeAt
            }
        case .failed(let message, let retry):
            guard retry else {
                fail(&state[address], message, reason: StepStatus.Reason.action, pass)
                return
            }
            let failures = failedTimes(spec.name, state) + 1
            var counts = state.context["failedTimes"] ?? .object([:])
            counts[spec.name] = .int(failures)
            state.context["failedTimes"] = counts
            if failures >= Self.maxFailedTimes {
                fail(&state[address], "\(message) (failed \(failures) times)", reason: StepStatus.Reason.failedAfterRetries, pass)
            } else {
                fail(&state[address], message, reason: StepStatus.Reason.execute, pass)
                pass.check(at: pass.now.addingTimeInterval(Self.backoff(afterFailures: failures)))
            }
        }
    }

    private func succeed(_ status: inout StepStatus, message: String?, _ pass: Pass) {
        status.phase = .succeeded
        status.reason = nil
        status.message = message
        pass.events(.succeeded(step: status.name))
    }

    private func fail(_ status: inout StepStatus, _ message: String, reason: String, _ pass: Pass) {
        status.phase = .failed
        status.reason = reason
        status.message = message
        pass.events(.failed(step: status.name, message: message))
    }

    private func failedTimes(_ name: String, _ state: WorkflowStatus) -> Int {
        state.context[path: ["failedTimes", name]]?.int ?? 0
    }

    /// Seconds before a failed step is tried again: 1, 2, 4, ... up to KubeVela's 300.
    static func backoff(afterFailures failures: Int) -> TimeInterval {
        min(300, pow(2, Double(max(0, failures - 1))))
    }

    /// Seconds before a waiting step is looked at again: growing with the wait, 1 to 60.
    static func waitInterval(afterWaiting seconds: TimeInterval) -> TimeInterval {
        min(60, max(1, (seconds * 0.05).rounded(.up)))
    }

    // MARK: - The workflow

    /// Every step's status, in the workflow's order, keeping what the given status knew.
    private func skeleton(_ list: [WorkflowStepSpec], existing: [StepStatus]) -> [StepStatus] {
        list.map { spec in
            var status = existing.first { $0.name == spec.name }
                ?? StepStatus(id: StepIdentifier.make(application: application.name, step: spec.name), name: spec.name, type: spec.type)
            status.type = spec.type
            status.subSteps = skeleton(spec.subSteps, existing: status.subSteps)
            return status
        }
    }

    /// The workflow's phase once a pass is over.
    private func conclude(_ state: inout WorkflowStatus, now: Date, events: @Sendable (WorkflowEvent) -> Void) {
        if state.steps.allSatisfy(\.isFinished) {
            if let failed = state.steps.first(where: { $0.phase == .failed }) {
                // KubeVela terminates an Application's workflow once a step failed for good.
                state.phase = .terminated
                state.terminated = true
                state.message = "step '\(failed.name)' failed" + (failed.message.map { ": \($0)" } ?? "")
            } else {
                state.phase = .succeeded
                state.message = nil
            }
            state.endTime = now
            events(.finished(state.phase))
        } else if state.allSteps.contains(where: { $0.phase == .suspending }) {
            state.phase = .suspending
        } else {
            state.phase = .executing
        }
    }

    /// KubeVela's workflow `context` for a step.
    private func stepContext(_ spec: WorkflowStepSpec, _ state: WorkflowStatus) -> JSONValue {
        var context: JSONObject = [
            "name": .string(application.name), "appName": .string(application.name),
            "namespace": .string(application.namespace ?? "default"), "workflowName": .string(application.name),
            "stepName": .string(spec.name), "stepSessionID": .string(state.step(spec.name)?.id ?? ""),
        ]
        if let revision = state.appRevision {
            context.append("appRevision", .string(revision))
            if let number = revision.split(separator: "-").last.flatMap({ Int($0.dropFirst()) }) {
                context.append("appRevisionNum", .int(number))
            }
        }
        return .object(context)
    }

    /// `properties` with `value` at `path`, creating objects on the way.
    static func setting(_ value: JSONValue, at path: [String], in properties: JSONValue) -> JSONValue {
        guard let key = path.first else { return value }
        var object = properties.object ?? JSONObject()
        let inner = setting(value, at: Array(path.dropFirst()), in: object[key] ?? .object([:]))
        if object[key] == nil { object.append(key, inner) } else { object[key] = inner }
        return .object(object)
    }
}

extension WorkflowStatus {
    subscript(address: WorkflowEngine.StepAddress) -> StepStatus {
        get { address.sub.map { steps[address.index].subSteps[$0] } ?? steps[address.index] }
        set {
            if let sub = address.sub { steps[address.index].subSteps[sub] = newValue } else { steps[address.index] = newValue }
        }
    }
}
