import TandemDefinitions
import TandemModel

extension CUETraitDefinition {
    /// `attributes.status` bound to this use of the trait: its programs see the workload as
    /// `context.output` and the objects the trait makes as `context.outputs.<name>`.
    public func healthPolicy(_ parameters: Parameters, context: RenderContext, outputs: [HealthPolicy.Output]) -> HealthPolicy? {
        var policy = source.healthPolicy(parameters: parameters.values, context: KubeVelaContext.make(context), outputs: outputs)
        policy?.trait = name
        return policy
    }
}
