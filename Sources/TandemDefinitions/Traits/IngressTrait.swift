import KubeModel
import TandemJSON
import TandemModel

/// `ingress`: KubeVela's deprecated ingress trait, still installed: a Service and an Ingress.
public struct IngressTrait: TraitDefinition {
    public let name = "ingress"
    public let description = "Deprecated (use gateway): routes a domain's HTTP paths to the component (an Ingress and a Service)."
    public let appliesTo = TraitTarget.types(["webservice", "worker", "daemon", "statefulset"])

    public init() {}

    public let parameters = LegacyIngress.parameters.described("Parameters of the ingress trait.")

    public let example = LegacyIngress.example("ingress")

    public let collisionHint: String? = LegacyIngress.collisionHint

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        context.scope.warning("the ingress trait is deprecated; it is still rendered, as a networking.k8s.io/v1 Ingress", code: .deprecatedParameter,
                              hint: "write type: gateway with the same domain and http")
        LegacyIngress.apply(properties, to: &component, context: context)
    }
}
