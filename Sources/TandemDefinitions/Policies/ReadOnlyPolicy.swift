import TandemModel

/// `read-only`: objects the application reads but never changes; they must exist.
public struct ReadOnlyPolicy: PolicyDefinition {
    public let name = "read-only"
    public let description = "Objects the application only reads: they must exist and are never changed (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy
    public let isActedOnAtDeploy = true

    public init() {}

    public let parameters = Schema.object("Parameters of the read-only policy.", [
        .optional("rules", ResourceSelector.rules("The objects to leave unchanged.", [])),
    ])

    public let example = DeliveryExamples.shop("""
          policies:
            - name: existing-service
              type: read-only
              properties:
                rules:
                  - selector: {resourceTypes: [Service]}

        """)
}
