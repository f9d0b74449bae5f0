import TandemModel

/// `read-object`: reads a Kubernetes object; it is the step's output (`output.value`).
public struct ReadObjectStep: WorkflowStepDefinition {
    public let name = "read-object"
    public let description = "Reads a Kubernetes object, for outputs (`output.value`) (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy

    public init() {}

    public let parameters = Schema.object("Parameters of the read-object step.", [
        .optional("apiVersion", .string("The object's apiVersion.", format: .nonEmpty, default: "core.oam.dev/v1beta1")),
        .optional("kind", .string("The object's kind.", format: .nonEmpty, default: "Application")),
        .required("name", .string("The object's name.", format: .nonEmpty)),
        .optional("namespace", .string("The object's namespace.", format: .nonEmpty, default: "default")),
        .optional("cluster", .string("The cluster; empty or local for the one Tandem deploys to.", default: "")),
    ])

    public let example = DeliveryExamples.shop("""
          workflow:
            steps:
              - name: read-settings
                type: read-object
                properties: {apiVersion: v1, kind: ConfigMap, name: shop-settings}
                outputs:
                  - {name: theme, valueFrom: output.value.data.theme}
              - name: deploy
                type: apply-application

        """)
}
