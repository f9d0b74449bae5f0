import KubeModel
import TandemJSON
import TandemModel

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

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        MetadataPatch.apply(properties, field: "annotations", to: &component, context: context)
    }
}
