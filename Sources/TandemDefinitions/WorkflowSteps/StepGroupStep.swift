import TandemModel

/// `step-group`: runs its subSteps (in parallel, at deploy time); `render` prints what they deploy in the order written.
public struct StepGroupStep: WorkflowStepDefinition {
    public let name = "step-group"
    public let description = "Groups sub-steps that run in parallel."
    public let stage = DeliveryStage.render

    public init() {}

    public let parameters = Schema.object("The step-group step takes no parameters: its steps are its subSteps.", [])

    public let example = DeliveryExamples.shop("""
            - name: backend
              type: worker
              properties:
                image: example/backend:5
          workflow:
            steps:
              - name: both
                type: step-group
                subSteps:
                  - name: deploy-frontend
                    type: apply-component
                    properties: {component: frontend}
                  - name: deploy-backend
                    type: apply-component
                    properties: {component: backend}

        """)
}
