import TandemModel

/// `garbage-collect`: how the deploy lifecycle deletes objects the application no longer renders, or all of them when it is deleted.
public struct GarbageCollectPolicy: PolicyDefinition {
    public let name = "garbage-collect"
    public let description = "How objects are deleted when the application changes or is deleted (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy
    public let isActedOnAtDeploy = true

    public init() {}

    public let parameters = Schema.object("Parameters of the garbage-collect policy.", [
        .optional("keepLegacyResource", .boolean("Keep objects the application no longer renders, instead of deleting them.", default: false)),
        .optional("continueOnFailure", .boolean("Delete them even when the deploy failed.", default: false)),
        .optional("order", .oneOf(["dependency"], "Delete dependents before what they depend on.")),
        .optional("rules", ResourceSelector.rules("Per-object strategies; the first rule that selects an object applies.", [
            .optional("strategy", .oneOf(["onAppUpdate", "onAppDelete", "never"], "When the selected objects are deleted.", default: "onAppUpdate")),
            .optional("propagation", .oneOf(["orphan", "cascading"], "What happens to the objects they own.")),
        ])),
    ])

    public let example = DeliveryExamples.shop("""
          policies:
            - name: keep-services
              type: garbage-collect
              properties:
                rules:
                  - selector: {resourceTypes: [Service]}
                    strategy: onAppDelete

        """)
}
