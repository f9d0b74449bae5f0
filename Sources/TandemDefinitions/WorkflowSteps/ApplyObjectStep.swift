import TandemModel

/// `apply-object`: applies a Kubernetes object given in full.
public struct ApplyObjectStep: WorkflowStepDefinition {
    public let name = "apply-object"
    public let description = "Applies a Kubernetes object given in full (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy

    public init() {}

    public let parameters = Schema.object("Parameters of the apply-object step.", [
        .required("value", .openObject("The object: apiVersion, kind, metadata and the rest.", [
            .required("apiVersion", .string(format: .nonEmpty)), .required("kind", .string(format: .nonEmpty)),
            .required("metadata", .openObject("Its metadata.", [.required("name", .string(format: .nonEmpty))])),
        ])),
        .optional("cluster", .string("The cluster; empty or local for the one Tandem deploys to.", default: "")),
    ])

    public let example = DeliveryExamples.shop("""
          workflow:
            steps:
              - name: settings
                type: apply-object
                properties:
                  value:
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: shop-settings}
                    data: {theme: dark}
              - name: deploy
                type: apply-application

        """)
}
