import Foundation
import TandemJSON
import TandemKubeVela
import TandemRendering

/// What a step's executor is given: the step with its inputs filled in, and where it runs.
struct StepRun: Sendable {
    let spec: WorkflowStepSpec
    /// The step's properties with its inputs filled in.
    let properties: JSONValue
    let application: RenderedApplication
    let host: any WorkflowHost
    let now: Date
    /// When the step first ran (this run, if it is the first).
    let firstExecuteTime: Date
    /// Whether it was suspended and then resumed by a command.
    let resumed: Bool
    /// KubeVela's workflow `context` (name, namespace, appName, stepName, ...), for CUE steps.
    let context: JSONValue

    var providers: any WorkflowProviders { host.providers }
    /// The namespace of the Application, which steps default to.
    var namespace: String { application.namespace ?? "default" }
}
