import TandemModel

/// `apply-object`: applies a Kubernetes object given in full.
public struct ApplyObjectStep: WorkflowStepDefinition {
    public let name = "apply-object"
    public let description = "Applies a Kubernetes object given in full (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy

    public init() {}

    public let parameters = Schema.object("Parameters of the apply-object step.", [
        // As KubeVela, any object: one that is no Kubernetes object fails the step when it runs.
        .required("value", .map(of: .any(), "The object: apiVersion, kind, metadata and the rest.")),
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
