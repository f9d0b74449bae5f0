import KubeModel
import TandemJSON
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

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        MetadataPatch.apply(properties, field: "labels", to: &component, context: context)
    }
}
