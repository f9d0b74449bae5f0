import TandemDefinitions
import TandemModel

/// A workflow step type written in CUE: its parameters are validated here; `CUEStepRunner` runs it.
public struct CUEWorkflowStepDefinition: WorkflowStepDefinition {
    public let source: CUEDefinitionSource
    public let parameters: Schema

    public init(_ source: CUEDefinitionSource) {
        self.source = source
        parameters = CUEDefinitionSchema.parameters(of: source)
    }

    public var name: String { source.name }
    public var description: String { source.description }
    public var stage: DeliveryStage { .deploy }
    public var example: String { CUEDefinitionSchema.example(step: name, schema: parameters) }
}
