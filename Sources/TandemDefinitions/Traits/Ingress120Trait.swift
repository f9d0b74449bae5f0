import KubeModel
import TandemJSON
import TandemModel

/// `ingress-1-20`: KubeVela's ingress trait for Kubernetes 1.20 and later: a Service and an Ingress.
public struct Ingress120Trait: TraitDefinition {
    public let name = "ingress-1-20"
    public let description = "Routes a domain's HTTP paths to the component (an Ingress and a Service); gateway does the same with more options."
    public let appliesTo = TraitTarget.types(["webservice", "worker", "daemon", "statefulset"])

    public init() {}

    public let parameters = LegacyIngress.parameters.described("Parameters of the ingress-1-20 trait.")

    public let example = LegacyIngress.example("ingress-1-20")

    public let collisionHint: String? = LegacyIngress.collisionHint

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        LegacyIngress.apply(properties, to: &component, context: context)
    }
}
