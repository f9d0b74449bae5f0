import KubeModel
import TandemJSON
import TandemModel

/// The JSON-merge-patch of `metadata.labels` or `metadata.annotations` that both traits make.
enum MetadataPatch {
    static func apply(_ properties: Parameters, field: String, to component: inout ComponentDraft, context: RenderContext) {
        let entries = properties.values.object ?? JSONObject()
        if field == "labels" {
            for member in entries where member.key.hasPrefix("app.oam.dev/") {
                context.scope.error("the label '\(member.key)' is Tandem's own; selectors depend on it", at: [.key(member.key)],
                                    code: .reservedLabel, hint: "choose another key")
            }
        }
        let paths = [["metadata", field]] + component.templateMetadataPaths.map { $0 + [field] }
        for path in paths {
            var map = component.workload.json[path: path]?.object ?? JSONObject()
            for member in entries { map[member.key] = member.value.isNull ? nil : member.value }
            component.workload.json[path: path] = map.isEmpty ? nil : .object(map)
        }
    }
}
