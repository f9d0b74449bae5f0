import KubeModel
import TandemJSON
import TandemModel

/// The JSON-merge-patch of `metadata.labels` or `metadata.annotations` that both traits make:
/// onto the workload and its pod template (and a CronJob's Jobs), a null value removing the key.
enum MetadataPatch {
    static func apply(_ properties: Parameters, field: String, to component: inout ComponentDraft, context: RenderContext) {
        let entries = properties.values.object ?? JSONObject()
        if field == "labels" {
            for member in entries where RenderContext.ownLabelKeys.contains(member.key) {
                context.scope.error("the label '\(member.key)' is Tandem's own; selectors and ownership depend on it", at: [.key(member.key)],
                                    code: .reservedLabel, hint: "choose another key")
            }
        }
        let paths = [["metadata", field]] + component.templateMetadataPaths.map { $0 + [field] }
        for path in paths {
            var map = component.workload.json[path: path]?.object ?? JSONObject()
            for member in entries {
                // `nil`, not `.null`: a null value removes the key rather than writing `key: null`.
                map[member.key] = member.value.isNull ? Optional<JSONValue>.none : member.value
            }
            component.workload.json[path: path] = map.isEmpty ? Optional<JSONValue>.none : JSONValue.object(map)
        }
    }
}
