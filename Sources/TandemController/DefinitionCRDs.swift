import TandemJSON

/// KubeVela's four definition CRDs (`core.oam.dev/v1beta1`, namespaced): the same group, names,
/// short names and printer columns as KubeVela's own, and a spec open enough that KubeVela's
/// definition objects apply unchanged (Tandem checks definitions itself when it loads them).
public enum DefinitionCRDs {
    /// The kinds, their plurals and KubeVela's short names.
    public static let kinds: [(kind: String, plural: String, shortName: String)] = [
        ("ComponentDefinition", "componentdefinitions", "comp"),
        ("TraitDefinition", "traitdefinitions", "trait"),
        ("PolicyDefinition", "policydefinitions", "def-policy"),
        ("WorkflowStepDefinition", "workflowstepdefinitions", "workflowstep"),
    ]

    public static var plurals: [String] { kinds.map(\.plural) }

    static let description = ApplicationDefinition.column("DESCRIPTION", #".metadata.annotations.definition\.oam\.dev/description"#)
    static let age = ApplicationDefinition.column("AGE", ".metadata.creationTimestamp", type: "date")

    /// KubeVela's printer columns, so `kubectl get comp` and `kubectl get trait` read the same.
    static func columns(_ kind: String) -> [JSONValue] {
        switch kind {
        case "ComponentDefinition": [ApplicationDefinition.column("WORKLOAD-KIND", ".spec.workload.definition.kind"), description, age]
        case "TraitDefinition": [ApplicationDefinition.column("APPLIES-TO", ".spec.appliesToWorkloads"), description, age]
        default: []
        }
    }

    static func crd(kind: String, plural: String, shortName: String) -> JSONValue {
        var version: JSONObject = [
            "name": "v1beta1", "served": true, "storage": true,
            "subresources": ["status": .object(JSONObject())],
            "schema": ["openAPIV3Schema": [
                "type": "object",
                "properties": ["apiVersion": ["type": "string"], "kind": ["type": "string"], "metadata": ["type": "object"],
                               "spec": ApplicationDefinition.freeForm, "status": ApplicationDefinition.freeForm],
            ]],
        ]
        let columns = columns(kind)
        if !columns.isEmpty { version.append("additionalPrinterColumns", .array(columns)) }
        return [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": .string("\(plural).core.oam.dev")],
            "spec": [
                "group": "core.oam.dev",
                "names": ["kind": .string(kind), "listKind": .string("\(kind)List"), "plural": .string(plural),
                          "singular": .string(kind.lowercased()), "shortNames": [.string(shortName)], "categories": ["oam"]],
                "scope": "Namespaced",
                "versions": [.object(version)],
            ],
        ]
    }

    public static let all: [JSONValue] = kinds.map { crd(kind: $0.kind, plural: $0.plural, shortName: $0.shortName) }
}
