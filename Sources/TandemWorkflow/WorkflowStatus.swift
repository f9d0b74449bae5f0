import Foundation
import TandemJSON

/// KubeVela's `status.workflow`, plus the workflow's context: what the engine keeps apart from
/// the status, as KubeVela keeps it in a ConfigMap — the steps' outputs (they may hold data not
/// meant for `kubectl get app -o yaml`) and how often each step has failed.
public struct WorkflowStatus: Sendable, Equatable {
    /// KubeVela's workflow phases (`status.workflow.status`). As in KubeVela, an Application's
    /// workflow whose step failed for good ends `terminated` (`workflowTerminated`); `failed`
    /// is read from a status KubeVela's workflow runs may write.
    public enum Phase: String, Sendable {
        case initializing, executing, suspending, succeeded, failed, terminated
    }

    public var phase: Phase
    public var steps: [StepStatus]
    public var message: String?
    /// `mode`: `StepByStep-DAG` and the like; set by the engine.
    public var mode: String
    /// `appRevision`: the revision the workflow delivers; set by the host.
    public var appRevision: String?
    /// Suspended by a command (`tandem workflow suspend`), not by a step.
    public var suspended: Bool
    public var terminated: Bool
    public var startTime: Date?
    public var endTime: Date?
    /// When the engine must be called again though nothing else changes (a suspend's duration,
    /// a timeout, a retry's back-off). Not persisted.
    public var nextCheck: Date?
    /// The workflow's context, persisted apart by the host: `{"outputs": {STEP: {NAME: value}},
    /// "failedTimes": {STEP: count}}`.
    public var context: JSONValue

    /// A workflow that has not started.
    public init() {
        phase = .initializing
        steps = []
        mode = ""
        suspended = false
        terminated = false
        context = .object([:])
    }

    /// The status as persisted: `status.workflow` (`json`) and the context (`context`).
    public init(json: JSONValue, context: JSONValue) throws(WorkflowError) {
        self.init()
        guard case .object = json else { throw WorkflowError("status.workflow is not an object") }
        let phaseText = json["status"]?.string ?? Phase.initializing.rawValue
        guard let phase = Phase(rawValue: phaseText) else { throw WorkflowError("status.workflow has an unknown status '\(phaseText)'") }
        self.phase = phase
        for item in json["steps"]?.array ?? [] { steps.append(try StepStatus(json: item)) }
        message = json["message"]?.string
        mode = json["mode"]?.string ?? ""
        appRevision = json["appRevision"]?.string
        suspended = json["suspend"]?.bool == true && json["suspendState"]?.string == Self.manual
        terminated = json["terminated"]?.bool ?? false
        startTime = json["startTime"]?.string.flatMap(WorkflowTime.parse)
        endTime = json["endTime"]?.string.flatMap(WorkflowTime.parse)
        self.context = context.object == nil ? .object([:]) : context
    }

    /// `status.workflow` exactly as KubeVela writes it.
    public var json: JSONValue {
        var object = JSONObject()
        if let appRevision { object.append("appRevision", .string(appRevision)) }
        object.append("mode", .string(mode))
        object.append("status", .string(phase.rawValue))
        if let message, !message.isEmpty { object.append("message", .string(message)) }
        object.append("suspend", .bool(suspended || phase == .suspending))
        if phase == .suspending { object.append("suspendState", .string(suspendState)) }
        object.append("terminated", .bool(terminated))
        object.append("finished", .bool(isFinished))
        if !steps.isEmpty { object.append("steps", .array(steps.map(\.json))) }
        if let startTime { object.append("startTime", .string(WorkflowTime.format(startTime))) }
        if let endTime { object.append("endTime", .string(WorkflowTime.format(endTime))) }
        return .object(object)
    }

    /// The steps' outputs, by step name.
    public var outputs: JSONValue { context["outputs"] ?? .object([:]) }

    /// The Application's `status.status` in KubeVela's words while the workflow runs or stops;
    /// nil once it succeeded (the host says running or unhealthy from health).
    public var applicationStatus: String? {
        switch phase {
        case .initializing, .executing: "runningWorkflow"
        case .suspending: "workflowSuspending"
        case .failed: "workflowFailed"
        case .terminated: "workflowTerminated"
        case .succeeded: nil
        }
    }

    public var isFinished: Bool { phase == .succeeded || phase == .failed || phase == .terminated }

    /// KubeVela's `suspendState`: why it is suspended — by a command, or by a step.
    private var suspendState: String { suspended ? Self.manual : "suspending" }
    private static let manual = "manual"

    /// Every step, sub-steps after their group.
    public var allSteps: [StepStatus] { steps.flatMap { [$0] + $0.subSteps } }

    /// The status of the step named `name`, sub-steps included.
    public func step(_ name: String) -> StepStatus? { allSteps.first { $0.name == name } }

    /// Suspends the workflow where it stands (`vela workflow suspend`): no step starts until it
    /// is resumed.
    public mutating func suspend() {
        guard !isFinished else { return }
        suspended = true
        phase = .suspending
    }

    /// Resumes a suspended workflow (`vela workflow resume`): every suspending step, or only
    /// the one named `step`, goes on as if its time had come.
    public mutating func resume(step name: String?) throws(WorkflowError) {
        if let name {
            guard let found = self.step(name) else { throw WorkflowError("the workflow has no step named '\(name)'") }
            guard found.phase == .suspending else {
                throw WorkflowError("step '\(name)' is not suspended (it is \(found.phase.rawValue))")
            }
        } else if !suspended, !allSteps.contains(where: { $0.phase == .suspending }) {
            throw WorkflowError("the workflow is not suspended")
        }
        suspended = false
        var resumed = context["resumed"] ?? .object([:])
        updateSteps { status in
            guard status.phase == .suspending, name == nil || status.name == name else { return }
            // Runs again, knowing it was resumed: a suspend ends, a deploy with auto: false delivers.
            status.phase = .running
            status.reason = nil
            status.message = nil
            resumed[status.name] = true
        }
        if resumed != .object([:]) { context["resumed"] = resumed }
        if phase == .suspending { phase = .executing }
        nextCheck = nil
    }

    /// Stops the workflow for good (`vela workflow terminate`): steps that have not finished
    /// fail with reason `Terminate`.
    public mutating func terminate() {
        guard !isFinished else { return }
        updateSteps { status in
            guard !status.isFinished, status.phase != .pending else { return }
            status.phase = .failed
            status.reason = StepStatus.Reason.terminate
        }
        terminated = true
        suspended = false
        phase = .terminated
        nextCheck = nil
    }

    /// Applies `change` to every step and sub-step.
    mutating func updateSteps(_ change: (inout StepStatus) -> Void) {
        for index in steps.indices {
            change(&steps[index])
            for subIndex in steps[index].subSteps.indices { change(&steps[index].subSteps[subIndex]) }
        }
    }
}
