import Foundation
import KubeClient
import KubeModel
import TandemController
import TandemDeploy
import TandemJSON
import TandemWorkflow

/// Where an application's workflow state is kept: the ApplySet parent Secret of an application
/// deployed by `tandem up`, or the `status.workflow` of an Application the controller manages
/// (which the `tandem workflow` commands change as `vela workflow` does: a patch of the status).
enum WorkflowPlace {
    case commandLine(SecretParent, WorkflowRecord)
    case controller(ControllerManagedApplication)

    static func find(_ name: String, namespace: String, client: KubeClient) async throws -> WorkflowPlace {
        if let application = try await ControllerManagedApplication.find(name, namespace: namespace, client: client) {
            return .controller(application)
        }
        let parent = SecretParent(application: name, namespace: namespace, tooling: "")
        if let record = try await parent.readWorkflow(client) { return .commandLine(parent, record) }
        if try await parent.read(client) != nil {
            throw CLIFailure("application \(name) in namespace \(namespace) has no workflow: its spec has no workflow steps")
        }
        throw DeployedApplication.notFound(name, namespace: namespace)
    }

    /// The workflow's status as recorded.
    func status(client: KubeClient) async throws -> WorkflowStatus {
        switch self {
        case .commandLine(_, let record):
            return try WorkflowStatus(json: record.status, context: record.outputs)
        case .controller(let application):
            return try await ApplicationWorkflowState.read(application.object, client: client)
        }
    }

    /// Records `status` where it is kept.
    func write(_ status: WorkflowStatus, client: KubeClient) async throws {
        switch self {
        case .commandLine(let parent, var record):
            record.status = status.json
            record.outputs = status.context
            try await parent.writeWorkflow(record, client: client)
        case .controller(let application):
            try await ApplicationWorkflowState.write(status, application: application.object.name,
                                                     namespace: application.object.namespace ?? "default", client: client)
        }
    }

    /// Starts the workflow over: as `vela workflow restart`, its status is dropped.
    func restart(client: KubeClient) async throws {
        switch self {
        case .commandLine:
            try await write(WorkflowStatus(), client: client)
        case .controller(let application):
            try await ApplicationWorkflowState.write(nil, application: application.object.name,
                                                     namespace: application.object.namespace ?? "default", client: client)
        }
    }
}
