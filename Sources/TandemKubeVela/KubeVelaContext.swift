import KubeModel
import TandemDefinitions
import TandemJSON
import TandemModel

/// `context` as KubeVela fills it for a component's and a trait's template.
enum KubeVelaContext {
    /// `APP-vN`, KubeVela's name of the Application revision being rendered.
    static func appRevision(_ context: RenderContext) -> String { "\(context.appName)-v\(context.appRevisionNumber)" }

    static func make(_ context: RenderContext) -> JSONObject {
        let application = context.application
        func object(_ pairs: [(key: String, value: String)]) -> JSONValue {
            .object(JSONObject(pairs.map { JSONObject.Member(key: $0.key, value: .string($0.value)) }))
        }
        let components: [JSONValue] = (application?.components ?? []).map { component in
            ["name": .string(component.name), "type": .string(component.type)]
        }
        let publishVersion = application?.annotations.first { $0.key == "app.oam.dev/publishVersion" }?.value ?? ""
        let version = context.kubeVersion
        var fields: JSONObject = [
            "name": .string(context.componentName),
            "appName": .string(context.appName),
            "namespace": .string(context.namespace ?? "default"),
            "appRevision": .string(appRevision(context)),
            "appRevisionNum": .int(context.appRevisionNumber),
            "revision": .string(context.revision),
            "appLabels": object(application?.labels ?? []),
            "appAnnotations": object(application?.annotations ?? []),
            "components": .array(components),
            "cluster": "",
            "clusterVersion": [
                "major": 1, "minor": .int(version.minor),
                "gitVersion": .string("v1.\(version.minor).0"), "platform": "linux/amd64",
            ],
            "workflowName": .string(context.appName),
            "publishVersion": .string(publishVersion),
        ]
        // As in KubeVela, context.replicaKey exists only for a replicated component's copies.
        if let key = context.replicaKey { fields.append("replicaKey", .string(key)) }
        if let artifacts = context.artifacts { fields.append("artifacts", artifacts) }
        return fields
    }
}
