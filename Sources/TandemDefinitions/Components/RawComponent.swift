import KubeModel
import TandemJSON
import TandemModel

/// `raw`: KubeVela's older name for one object written out in full (k8s-objects takes several).
public struct RawComponent: ComponentDefinition {
    public let name = "raw"
    public let description = "One Kubernetes object written out in full, applied as it is (k8s-objects takes several)."

    public init() {}

    static let metadata: Schema = {
        var schema = KubeObjectSchemas.metadata.described("Name (default: the component's), namespace, labels and annotations.")
        schema.kind = .object([.optional("name", .string("The object's name.", format: .dns1123Subdomain))] + schema.properties)
        return schema
    }()

    static func checked(_ schema: Schema, pattern: String) -> Schema {
        var schema = schema
        schema.editorConstraints = ["pattern": .string(pattern)]  // what the checks below say, for editors
        return schema
    }

    public let parameters = Schema.openObject("The object: apiVersion, kind, metadata and the rest.", [
        .required("apiVersion", checked(.string("The object's API version.", format: .nonEmpty), pattern: KubernetesObjects.apiVersionPattern)),
        .required("kind", checked(.string("The object's kind.", format: .nonEmpty), pattern: KubernetesObjects.kindPattern)),
        .optional("metadata", RawComponent.metadata),
    ], checks: [{ object, scope in KubernetesObjects.check(.object(object), scope) }])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: settings
        spec:
          components:
            - name: shop-settings
              type: raw
              properties:
                apiVersion: v1
                kind: ConfigMap
                data: {currency: EUR}

        """

    public func render(_ parameters: Parameters, context: RenderContext) -> ComponentDraft {
        KubernetesObjects.draft([parameters.values], context: context)
    }
}
