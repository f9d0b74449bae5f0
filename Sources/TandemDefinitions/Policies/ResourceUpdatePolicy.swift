import TandemModel

/// `resource-update`: how the deploy lifecycle updates objects: by patch or by replacing them, and which changed fields make it re-create them.
public struct ResourceUpdatePolicy: PolicyDefinition {
    public let name = "resource-update"
    public let description = "How objects are updated: patched or replaced, and which changed fields re-create them (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy
    public let isActedOnAtDeploy = true

    public init() {}

    public let parameters = Schema.object("Parameters of the resource-update policy.", [
        .optional("rules", ResourceSelector.rules("Update strategies, per object.", [
            .required("strategy", .object("How the selected objects are updated.", [
                .optional("op", .oneOf(["patch", "replace"], "Patch the object, or replace it whole.", default: "patch")),
                .optional("recreateFields", .array(of: .string(format: .nonEmpty), "Fields whose change re-creates the object, such as data.key.")),
            ])),
        ])),
    ])

    public let example = DeliveryExamples.shop("""
          policies:
            - name: recreate-on-port-change
              type: resource-update
              properties:
                rules:
                  - selector: {resourceTypes: [Service]}
                    strategy: {recreateFields: [spec.ports]}

        """)
}
