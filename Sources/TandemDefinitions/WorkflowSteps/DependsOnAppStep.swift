import TandemModel

/// `depends-on-app`: waits until another Application is running (creating it from a ConfigMap of the same name when it does not exist).
public struct DependsOnAppStep: WorkflowStepDefinition {
    public let name = "depends-on-app"
    public let description = "Waits until another Application is running (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy

    public init() {}

    public let parameters = Schema.object("Parameters of the depends-on-app step.", [
        .required("name", .string("The Application to wait for.", format: .dns1123Subdomain)),
        .required("namespace", .string("Its namespace.", format: .dns1123Label)),
    ])

    public let example = DeliveryExamples.shop("""
          workflow:
            steps:
              - name: wait-for-database
                type: depends-on-app
                properties: {name: database, namespace: data}
              - name: deploy
                type: apply-application

        """)
}
