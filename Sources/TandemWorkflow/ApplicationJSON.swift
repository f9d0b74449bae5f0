import TandemJSON
import TandemModel

/// An Application as a `core.oam.dev/v1beta1` object, for a webhook when the cluster has none
/// (`tandem up` without a controller): its metadata, components, policies and workflow.
enum ApplicationJSON {
    static func make(_ application: Application) -> JSONValue {
        var metadata: JSONObject = ["name": .string(application.name)]
        if let namespace = application.namespace { metadata.append("namespace", .string(namespace)) }
        if !application.labels.isEmpty {
            metadata.append("labels", .object(JSONObject(application.labels.map { JSONObject.Member(key: $0.key, value: .string($0.value)) })))
        }
        let components: [JSONValue] = application.components.map { component in
            var object: JSONObject = ["name": .string(component.name), "type": .string(component.type),
                                      "properties": component.properties.values]
            if !component.traits.isEmpty {
                object.append("traits", .array(component.traits.map { ["type": .string($0.type), "properties": $0.properties.values] }))
            }
            if !component.dependsOn.isEmpty { object.append("dependsOn", .array(component.dependsOn.map { .string($0) })) }
            return .object(object)
        }
        var spec: JSONObject = ["components": .array(components)]
        if !application.policies.isEmpty {
            spec.append("policies", .array(application.policies.map {
                ["name": .string($0.name), "type": .string($0.type), "properties": $0.properties]
            }))
        }
        if !application.workflow.isEmpty {
            spec.append("workflow", ["steps": .array(application.workflow.map(step))])
        }
        return ["apiVersion": "core.oam.dev/v1beta1", "kind": "Application", "metadata": .object(metadata), "spec": .object(spec)]
    }

    private static func step(_ step: Application.WorkflowStep) -> JSONValue {
        var object: JSONObject = ["name": .string(step.name), "type": .string(step.type)]
        if step.properties != .null { object.append("properties", step.properties) }
        if !step.dependsOn.isEmpty { object.append("dependsOn", .array(step.dependsOn.map { .string($0) })) }
        if !step.subSteps.isEmpty { object.append("subSteps", .array(step.subSteps.map(self.step))) }
        return .object(object)
    }
}
