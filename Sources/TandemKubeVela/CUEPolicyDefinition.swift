import TandemDefinitions
import TandemModel

/// A policy type written in CUE: its parameters are validated, and it is kept for the deploy
/// lifecycle, which does not act on it yet (Tandem renders no policy objects).
public struct CUEPolicyDefinition: PolicyDefinition {
    public let source: CUEDefinitionSource
    public let parameters: Schema

    public init(_ source: CUEDefinitionSource) {
        self.source = source
        parameters = CUEDefinitionSchema.parameters(of: source)
    }

    public var name: String { source.name }
    public var description: String { source.description }
    public var stage: DeliveryStage { .deploy }
    public var example: String { CUEDefinitionSchema.example(policy: name, schema: parameters) }
}
