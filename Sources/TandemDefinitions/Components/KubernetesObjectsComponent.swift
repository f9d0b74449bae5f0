import KubeModel
import TandemJSON
import TandemModel

/// `k8s-objects`: Kubernetes objects written out in full, rendered as they are (labelled, put in
/// the application's namespace when they are namespaced and name none, named after the component
/// when they have no name). When the first object has pods, traits change its pod template.
public struct KubernetesObjectsComponent: ComponentDefinition {
    public let name = "k8s-objects"
    public let description = "Kubernetes objects written out in full, applied as they are; traits change the first one."

    public init() {}

    /// One object: checked by the checks below, and by the editor's schema as far as it can.
    static let object: Schema = {
        var schema = Schema.any("A complete Kubernetes object: apiVersion, kind, metadata.name and the rest.")
        schema.editorConstraints = [
            "type": "object",
            "required": ["apiVersion", "kind", "metadata"],
            "properties": [
                "apiVersion": ["type": "string", "pattern": .string(KubernetesObjects.apiVersionPattern)],
                "kind": ["type": "string", "pattern": .string(KubernetesObjects.kindPattern)],
                "metadata": ["type": "object", "properties": [
                    "name": ["type": "string", "pattern": .string(StringFormat.dns1123Subdomain.pattern), "maxLength": 253],
                ]],
            ],
        ]
        return schema
    }()

    public let parameters = Schema.object("Parameters of the k8s-objects component type.", [
        .required("objects", .array(of: KubernetesObjectsComponent.object,
                                     "The objects; the first is the component's workload, which traits change.", minItems: 1)),
    ], checks: [{ properties, scope in
        for (index, object) in (properties["objects"]?.array ?? []).enumerated() {
            KubernetesObjects.check(object, scope.scoped(["objects", .index(index)]))
        }
    }])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: settings
          namespace: shop
        spec:
          components:
            - name: config
              type: k8s-objects
              properties:
                objects:
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: shop-settings}
                    data: {currency: EUR}

        """

    public func render(_ parameters: Parameters, context: RenderContext) -> ComponentDraft {
        KubernetesObjects.draft(parameters.list("objects"), context: context)
    }
}
