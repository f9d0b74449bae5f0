import KubeModel
import TandemDefinitions
import TandemJSON
import TandemModel

/// An object a template made, completed as KubeVela completes it: named after the component when
/// it names itself nothing, in the component's namespace, with KubeVela's revision label.
enum KubeVelaObjects {
    static let appRevisionLabel = "app.oam.dev/appRevision"
    static let resourceLabel = "trait.oam.dev/resource"

    static func object(_ json: JSONValue, defaultName: String, context: RenderContext, run: TemplateRun,
                       labels: [(key: String, value: String)] = []) -> KubeObject? {
        guard let fields = json.object else {
            run.fail("an output must be a Kubernetes object, not \(json)")
            return nil
        }
        // apiVersion, kind and metadata first, as Kubernetes writes objects.
        var ordered = JSONObject()
        for key in ["apiVersion", "kind"] { if let value = fields[key] { ordered[key] = value } }
        ordered["metadata"] = fields["metadata"] ?? .object(JSONObject())
        for member in fields where !["apiVersion", "kind", "metadata"].contains(member.key) { ordered[member.key] = member.value }
        var object = KubeObject(json: .object(ordered))
        if object.name.isEmpty { object.json[path: ["metadata", "name"]] = .string(defaultName) }
        if let problem = KubeObject.identityProblem(object.json) {
            run.fail("an output \(problem)")
            return nil
        }
        if object.namespace == nil, !object.isClusterScoped, let namespace = context.namespace {
            object.json[path: ["metadata", "namespace"]] = .string(namespace)
        }
        object.addLabels([(appRevisionLabel, KubeVelaContext.appRevision(context))] + labels)
        return object
    }
}
