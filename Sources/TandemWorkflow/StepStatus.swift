import Foundation
import TandemJSON

/// A step's entry in `status.workflow.steps`, in KubeVela's shape.
public struct StepStatus: Sendable, Equatable {
    /// KubeVela's step phases.
    public enum Phase: String, Sendable {
        case pending, running, succeeded, failed, skipped, suspending
    }

    /// KubeVela's reasons (`github.com/kubevela/workflow` pkg/types).
    public enum Reason {
        public static let wait = "Wait"
        public static let skip = "Skip"
        public static let execute = "Execute"
        public static let suspend = "Suspend"
        public static let terminate = "Terminate"
        public static let input = "Input"
        public static let output = "Output"
        public static let failedAfterRetries = "FailedAfterRetries"
        public static let timeout = "Timeout"
        public static let action = "Action"
    }

    public var id: String
    public var name: String
    public var type: String
    public var phase: Phase
    public var message: String?
    public var reason: String?
    public var firstExecuteTime: Date?
    public var lastExecuteTime: Date?
    /// A step-group's steps.
    public var subSteps: [StepStatus]

    public init(id: String, name: String, type: String, phase: Phase = .pending, message: String? = nil, reason: String? = nil,
                firstExecuteTime: Date? = nil, lastExecuteTime: Date? = nil, subSteps: [StepStatus] = []) {
        self.id = id
        self.name = name
        self.type = type
        self.phase = phase
        self.message = message
        self.reason = reason
        self.firstExecuteTime = firstExecuteTime
        self.lastExecuteTime = lastExecuteTime
        self.subSteps = subSteps
    }

    /// Whether it will not run again: succeeded, skipped, or failed for good (a failure with
    /// reason `Execute` is retried).
    public var isFinished: Bool {
        switch phase {
        case .succeeded, .skipped: true
        case .failed: reason != nil && reason != Reason.execute
        case .pending, .running, .suspending: false
        }
    }

    public var json: JSONValue {
        var object: JSONObject = ["id": .string(id), "name": .string(name), "type": .string(type), "phase": .string(phase.rawValue)]
        if let message, !message.isEmpty { object.append("message", .string(message)) }
        if let reason, !reason.isEmpty { object.append("reason", .string(reason)) }
        if let firstExecuteTime { object.append("firstExecuteTime", .string(WorkflowTime.format(firstExecuteTime))) }
        if let lastExecuteTime { object.append("lastExecuteTime", .string(WorkflowTime.format(lastExecuteTime))) }
        if !subSteps.isEmpty { object.append("subSteps", .array(subSteps.map(\.json))) }
        return .object(object)
    }

    public init(json: JSONValue) throws(WorkflowError) {
        guard let name = json["name"]?.string else { throw WorkflowError("a step of status.workflow.steps has no name") }
        let phaseText = json["phase"]?.string ?? Phase.pending.rawValue
        guard let phase = Phase(rawValue: phaseText) else { throw WorkflowError("step '\(name)' has an unknown phase '\(phaseText)'") }
        var subSteps: [StepStatus] = []
        for item in json["subSteps"]?.array ?? [] { subSteps.append(try StepStatus(json: item)) }
        self.init(id: json["id"]?.string ?? "", name: name, type: json["type"]?.string ?? "", phase: phase,
                  message: json["message"]?.string, reason: json["reason"]?.string,
                  firstExecuteTime: json["firstExecuteTime"]?.string.flatMap(WorkflowTime.parse),
                  lastExecuteTime: json["lastExecuteTime"]?.string.flatMap(WorkflowTime.parse), subSteps: subSteps)
    }
}
