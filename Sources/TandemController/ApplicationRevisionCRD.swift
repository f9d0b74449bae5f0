import TandemJSON

/// KubeVela's `ApplicationRevision` CRD (`core.oam.dev/v1beta1`, namespaced, short name
/// `apprev`): where the controller and `tandem up` keep an Application's revisions, with
/// `spec.application` and the definitions it rendered with (`spec.componentDefinitions`, ...).
public enum ApplicationRevisionCRD {
    public static let plural = "applicationrevisions"

    public static let crd: JSONValue = {
        var version: JSONObject = [
            "name": "v1beta1", "served": true, "storage": true,
            "subresources": ["status": .object(JSONObject())],
            "schema": ["openAPIV3Schema": [
                "type": "object",
                "properties": ["apiVersion": ["type": "string"], "kind": ["type": "string"], "metadata": ["type": "object"],
                               "spec": ApplicationDefinition.freeForm, "status": ApplicationDefinition.freeForm],
            ]],
        ]
        version.append("additionalPrinterColumns", [
            ApplicationDefinition.column("HASH", #".metadata.labels.app\.oam\.dev/app-revision-hash"#),
            ApplicationDefinition.column("RESTORES", #".metadata.annotations.tandem\.oam\.dev/restores-revision"#),
            DefinitionCRDs.age,
        ])
        return [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": .string("\(plural).core.oam.dev")],
            "spec": [
                "group": "core.oam.dev",
                "names": ["kind": "ApplicationRevision", "listKind": "ApplicationRevisionList", "plural": .string(plural),
                          "singular": "applicationrevision", "shortNames": ["apprev"], "categories": ["oam"]],
                "scope": "Namespaced",
                "versions": [.object(version)],
            ],
        ]
    }()
}
