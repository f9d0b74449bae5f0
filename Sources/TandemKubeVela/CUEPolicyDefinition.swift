import TandemDefinitions
import TandemModel

/// A policy type written in CUE: its parameters are validated; what it does is the deploy
/// lifecycle's (Tandem renders no policy objects yet).
public struct CUEPolicyDefinition: PolicyDefinition {
    public let source: CUEDefinitionSource
    public let parameters: Schema

    public init(_ source: CUEDefinitionSource) {
        self.source = source
        parameters = CUEDefinitionSchema.parameters(of: source)
    }

    public var name: String { source.name }
    public var description: String { source.description }
    public var stage: DeliveryStage { .render }
    public var example: String { "" }
}
