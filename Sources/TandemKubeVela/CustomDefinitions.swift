import TandemDefinitions

/// A registry of the built-ins and the definitions loaded from files: a loaded definition named
/// like a built-in replaces it (the caller says so).
public enum CustomDefinitions {
    public static func registry(adding sources: [CUEDefinitionSource], to base: DefinitionRegistry = .builtIn)
        -> (registry: DefinitionRegistry, replaced: [String]) {
        var components = base.componentNames.compactMap { base.components[$0] }
        var traits = base.traitNames.compactMap { base.traits[$0] }
        var policies = base.policyNames.compactMap { base.policies[$0] }
        var steps = base.workflowStepNames.compactMap { base.workflowSteps[$0] }
        var replaced: [String] = []
        for source in sources {
            let known: Bool
            switch source.kind {
            case .component:
                known = base.components[source.name] != nil
                components.append(CUEComponentDefinition(source))
            case .trait:
                known = base.traits[source.name] != nil
                traits.append(CUETraitDefinition(source))
            case .policy:
                known = base.policies[source.name] != nil
                policies.append(CUEPolicyDefinition(source))
            case .workflowStep:
                known = base.workflowSteps[source.name] != nil
                steps.append(CUEWorkflowStepDefinition(source))
            }
            if known { replaced.append("\(source.kind.rawValue) \(source.name)") }
        }
        return (DefinitionRegistry(components: components, traits: traits, policies: policies, workflowSteps: steps), replaced)
    }
}
