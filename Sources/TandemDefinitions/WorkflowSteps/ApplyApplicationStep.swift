import TandemModel

/// `apply-application`: deploys every component of the application (KubeVela's older step).
public struct ApplyApplicationStep: WorkflowStepDefinition {
    public let name = "apply-application"
    public let description = "Deploys every component of the application."
    public let stage = DeliveryStage.render

    public init() {}

    public let parameters = Schema.object("The apply-application step takes no parameters.", [])

    public let example = DeliveryExamples.shop("""
          workflow:
            steps:
              - name: everything
                type: apply-application

        """)
}
