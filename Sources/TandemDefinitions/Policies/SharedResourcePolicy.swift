import TandemModel

/// `shared-resource`: objects several applications may render: the first one writes them, the others only read them.
public struct SharedResourcePolicy: PolicyDefinition {
    public let name = "shared-resource"
    public let description = "Objects several applications may share: the first writes them, the others read them (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy
    public let isActedOnAtDeploy = true

    public init() {}

    public let parameters = Schema.object("Parameters of the shared-resource policy.", [
        .optional("rules", ResourceSelector.rules("The objects that may be shared.", [])),
    ])

    public let example = DeliveryExamples.shop("""
          policies:
            - name: shared-namespace
              type: shared-resource
              properties:
                rules:
                  - selector: {resourceTypes: [Namespace]}

        """)
}
