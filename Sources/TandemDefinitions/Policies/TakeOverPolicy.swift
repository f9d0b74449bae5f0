import TandemModel

/// `take-over`: objects the application may adopt when they exist and belong to no application.
public struct TakeOverPolicy: PolicyDefinition {
    public let name = "take-over"
    public let description = "Objects the application may adopt when they exist and belong to no application (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy
    public let isActedOnAtDeploy = true

    public init() {}

    public let parameters = Schema.object("Parameters of the take-over policy.", [
        .optional("rules", ResourceSelector.rules("The objects that may be adopted.", [])),
    ])

    public let example = DeliveryExamples.shop("""
          policies:
            - name: adopt-deployment
              type: take-over
              properties:
                rules:
                  - selector: {resourceTypes: [Deployment]}

        """)
}
