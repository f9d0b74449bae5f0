import TandemModel

/// `deploy`: delivers the components, changed by its override policies, to the places its topology policies name. Each deploy step is an environment: `render` prints its objects in workflow order, labelled with the step's name.
public struct DeployStep: WorkflowStepDefinition {
    public let name = "deploy"
    public let description = "Deploys the components with the given topology and override policies: one environment per step."
    public let stage = DeliveryStage.render

    public init() {}

    public let parameters = Schema.object("Parameters of the deploy step.", [
        .optional("policies", .array(of: .string(format: .nonEmpty), "Names of the topology, override and replication policies to use, in order.")),
        .optional("auto", .boolean("Deploy without waiting for approval; false suspends the workflow until it is resumed.", default: true)),
        .optional("parallelism", .integer("How many components are deployed at once.", range: 1...Int(Int32.max), default: 5)),
        .optional("ignoreTerraformComponent", .boolean("Skip Terraform components.", default: true)),
    ])

    public let example = DeliveryExamples.shop("""
          policies:
            - name: staging
              type: topology
              properties: {clusters: [local], namespace: staging}
            - name: production
              type: topology
              properties: {clusters: [local], namespace: production}
            - name: production-size
              type: override
              properties:
                components:
                  - name: frontend
                    traits:
                      - type: scaler
                        properties: {replicas: 3}
          workflow:
            steps:
              - name: deploy-staging
                type: deploy
                properties: {policies: [staging]}
              - name: deploy-production
                type: deploy
                properties: {policies: [production, production-size]}

        """)
}
