/// The four kinds of KubeVela X-Definition, by the `type` a `vela def` file gives and the
/// Kubernetes kind of the definition object.
public enum DefinitionKind: String, Sendable, CaseIterable {
    case component
    case trait
    case policy
    case workflowStep = "workflow-step"

    public init?(objectKind: String) {
        guard let kind = Self.allCases.first(where: { $0.objectKind == objectKind }) else { return nil }
        self = kind
    }

    /// The Kubernetes kind: `ComponentDefinition`, `TraitDefinition`, ...
    public var objectKind: String {
        switch self {
        case .component: return "ComponentDefinition"
        case .trait: return "TraitDefinition"
        case .policy: return "PolicyDefinition"
        case .workflowStep: return "WorkflowStepDefinition"
        }
    }
}
