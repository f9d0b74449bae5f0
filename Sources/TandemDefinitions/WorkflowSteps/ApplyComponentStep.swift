import TandemModel

/// `apply-component`: deploys one component of the application, with its traits.
public struct ApplyComponentStep: WorkflowStepDefinition {
    public let name = "apply-component"
    public let description = "Deploys one component, with its traits."
    public let stage = DeliveryStage.render

    public init() {}

    public let parameters = Schema.object("Parameters of the apply-component step.", [
        .required("component", .string("The component to deploy.", format: .dns1123Label)),
        .optional("cluster", .string("The cluster: empty or local, the one Tandem deploys to.", default: "")),
        .optional("namespace", .string("The namespace to deploy to (default: the Application's).", format: .dns1123Label)),
    ])

    public let example = DeliveryExamples.shop("""
            - name: backend
              type: worker
              properties:
                image: example/backend:5
          workflow:
            steps:
              - name: backend-first
                type: apply-component
                properties: {component: backend}
              - name: then-frontend
                type: apply-component
                properties: {component: frontend}

        """)
}
