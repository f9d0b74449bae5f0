import TandemJSON

/// A definition as the Kubernetes object KubeVela's definition CRDs hold, ready for
/// `kubectl apply`: what `vela def render` prints.
public enum DefinitionObject {
    public static func json(_ source: CUEDefinitionSource) -> JSONValue {
        var metadata: JSONObject = ["name": .string(source.name)]
        if !source.description.isEmpty {
            metadata["annotations"] = ["definition.oam.dev/description": .string(source.description)]
        }
        var spec = source.attributes
        spec["schematic"] = ["cue": ["template": .string(source.templateText)]]
        return [
            "apiVersion": "core.oam.dev/v1beta1", "kind": .string(source.kind.objectKind),
            "metadata": .object(metadata), "spec": .object(spec),
        ]
    }
}
