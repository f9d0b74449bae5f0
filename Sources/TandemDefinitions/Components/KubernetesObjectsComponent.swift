import KubeModel
import TandemJSON
import TandemModel

/// `k8s-objects`: Kubernetes objects written out in full, rendered as they are (labelled, and
/// put in the application's namespace when they are namespaced and name none).
public struct KubernetesObjectsComponent: ComponentDefinition {
    public let name = "k8s-objects"
    public let description = "Kubernetes objects written out in full, applied as they are."
    public let hasPodTemplate = false

    public init() {}

    /// One object: checked by the checks below, and by the editor's schema as far as it can.
    static let object: Schema = {
        var schema = Schema.any("A complete Kubernetes object: apiVersion, kind, metadata.name and the rest.")
        schema.editorConstraints = [
            "type": "object",
            "required": ["apiVersion", "kind", "metadata"],
            "properties": [
                "apiVersion": ["type": "string", "minLength": 1],
                "kind": ["type": "string", "minLength": 1],
                "metadata": ["type": "object", "required": ["name"], "properties": [
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
            let at: FieldPath = ["objects", .index(index)]
            guard object.object != nil else {
                scope.error("an object must be a mapping", at: at, code: .invalidObject)
                continue
            }
            for field in ["apiVersion", "kind"] where (object[field]?.string ?? "").isEmpty {
                scope.error("the object has no \(field)", at: at, code: .invalidObject)
            }
            if let name = object[path: ["metadata", "name"]]?.string {
                if let problem = StringFormat.dns1123Subdomain.violation(in: name) {
                    scope.error("\(SchemaValidator.quoted(name)) is not a valid object name: \(problem)",
                                at: at / "metadata" / "name", code: .invalidObject)
                }
            } else {
                scope.error("the object has no metadata.name", at: at, code: .invalidObject)
            }
            // The kinds Tandem models are checked as Kubernetes would check them at apply time.
            if let kind = object["kind"]?.string, let schema = KubeObjectSchemas.schema(for: GroupVersionKind(
                apiVersion: object["apiVersion"]?.string ?? "", kind: kind).groupKind) {
                _ = SchemaValidator.conforms(object, to: schema, in: scope.scoped(at))
            }
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
        let objects = parameters.list("objects").map { json -> KubeObject in
            var object = KubeObject(json: json)
            if object.namespace == nil, !object.isClusterScoped, let namespace = context.namespace {
                object.json[path: ["metadata", "namespace"]] = .string(namespace)
            }
            return object
        }
        var rendered = ComponentDraft(workload: objects.first ?? KubeObject(json: .null))
        for object in objects.dropFirst() { rendered.addObject(object) }
        return rendered
    }
}
