import KubeModel
import TandemModel

/// `labels`: labels on the workload and its pods (a null value removes a label).
public struct LabelsTrait: TraitDefinition {
    public let name = "labels"
    public let description = "Adds labels to the workload and its pods; a null value removes one."
    public let appliesTo = TraitTarget.all

    public init() {}

    public let parameters = Schema.map(of: Schema.string("The label's value, or null to remove the label.", format: .labelValue).orNull,
                                       "Labels by key.", keyFormat: .labelKey)

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: api
        spec:
          components:
            - name: server
              type: worker
              properties:
                image: example/api:3
              traits:
                - type: labels
                  properties:
                    tier: backend
                    cost-center: "4711"

        """

    public func apply(_ properties: JSONValue, to component: inout RenderedComponent, context: RenderContext) {
        MetadataPatch.apply(properties, field: "labels", to: &component, context: context)
    }
}

/// `annotations`: annotations on the workload, its pods, and a CronJob's Jobs.
public struct AnnotationsTrait: TraitDefinition {
    public let name = "annotations"
    public let description = "Adds annotations to the workload and its pods; a null value removes one."
    public let appliesTo = TraitTarget.all

    public init() {}

    public let parameters = Schema.map(of: Schema.string("The annotation's value, or null to remove the annotation.").orNull,
                                       "Annotations by key.", keyFormat: .labelKey)

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: api
        spec:
          components:
            - name: server
              type: worker
              properties:
                image: example/api:3
              traits:
                - type: annotations
                  properties:
                    prometheus.io/scrape: "true"
                    prometheus.io/port: "9090"

        """

    public func apply(_ properties: JSONValue, to component: inout RenderedComponent, context: RenderContext) {
        MetadataPatch.apply(properties, field: "annotations", to: &component, context: context)
    }
}

/// The JSON-merge-patch of `metadata.labels` or `metadata.annotations` that both traits make.
enum MetadataPatch {
    static func apply(_ properties: JSONValue, field: String, to component: inout RenderedComponent, context: RenderContext) {
        let entries = properties.object ?? JSONObject()
        if field == "labels" {
            for member in entries where member.key.hasPrefix("app.oam.dev/") {
                context.scope.error("the label '\(member.key)' is Tandem's own; selectors depend on it", at: [.key(member.key)],
                                    code: "reserved-label", hint: "choose another key")
            }
        }
        var paths = [["metadata", field]]
        if let podSpecPath = component.podSpecPath {
            paths.append(Array(podSpecPath.dropLast()) + ["metadata", field])
            if podSpecPath.count > 3 { paths.append(Array(podSpecPath.dropLast(3)) + ["metadata", field]) }  // a CronJob's jobTemplate
        }
        for path in paths {
            var map = component.workload.json[path: path]?.object ?? JSONObject()
            for member in entries { map[member.key] = member.value.isNull ? nil : member.value }
            component.workload.json[path: path] = map.isEmpty ? nil : .object(map)
        }
    }
}
