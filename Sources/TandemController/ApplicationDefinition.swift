import TandemJSON

/// The `applications.core.oam.dev` custom resource definition: `v1beta1` served and stored, a
/// status subresource, a structural schema that accepts every Application KubeVela accepts
/// (properties stay free-form: Tandem validates them itself), KubeVela's printer columns, and
/// the label that lets Applications be ApplySet parents.
public enum ApplicationDefinition {
    static let freeForm: JSONValue = ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
    static let strings: JSONValue = ["type": "array", "items": ["type": "string"]]
    static let anyList: JSONValue = ["type": "array", "items": freeForm]

    static let component: JSONValue = [
        "type": "object", "required": ["name", "type"],
        "properties": [
            "name": ["type": "string"], "type": ["type": "string"], "properties": freeForm,
            "traits": ["type": "array", "items": ["type": "object", "required": ["type"],
                                                  "properties": ["type": ["type": "string"], "properties": freeForm]]],
            "dependsOn": strings, "inputs": anyList, "outputs": anyList, "externalRevision": ["type": "string"], "scopes": freeForm,
        ],
    ]

    static let spec: JSONValue = [
        "type": "object", "required": ["components"],
        "properties": [
            "components": ["type": "array", "items": component],
            "policies": ["type": "array", "items": ["type": "object", "required": ["type"],
                                                    "properties": ["name": ["type": "string"], "type": ["type": "string"],
                                                                   "properties": freeForm]]],
            "workflow": freeForm,
        ],
    ]

    static func column(_ name: String, _ path: String, type: String = "string") -> JSONValue {
        ["name": .string(name), "type": .string(type), "jsonPath": .string(path)]
    }

    public static let crd: JSONValue = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "applications.core.oam.dev", "labels": ["applyset.kubernetes.io/is-parent-type": "true"]],
        "spec": [
            "group": "core.oam.dev",
            "names": ["kind": "Application", "listKind": "ApplicationList", "plural": "applications", "singular": "application",
                      "shortNames": ["app", "velaapp"], "categories": ["oam"]],
            "scope": "Namespaced",
            "versions": [[
                "name": "v1beta1", "served": true, "storage": true,
                "subresources": ["status": .object(JSONObject())],
                "additionalPrinterColumns": [
                    column("COMPONENT", ".spec.components[*].name"), column("TYPE", ".spec.components[*].type"),
                    column("PHASE", ".status.status"), column("HEALTHY", ".status.services[*].healthy", type: "boolean"),
                    column("STATUS", ".status.services[*].message"), column("AGE", ".metadata.creationTimestamp", type: "date"),
                ],
                "schema": ["openAPIV3Schema": [
                    "type": "object",
                    "properties": ["apiVersion": ["type": "string"], "kind": ["type": "string"], "metadata": ["type": "object"],
                                   "spec": spec, "status": freeForm],
                ]],
            ]],
        ],
    ]
}
