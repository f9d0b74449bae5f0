import TandemModel

/// `apply-once`: lets the cluster drift from what is rendered: the deploy lifecycle applies objects (or some of their fields) once and leaves later changes alone.
public struct ApplyOncePolicy: PolicyDefinition {
    public let name = "apply-once"
    public let description = "Applies objects, or some of their fields, once and then leaves changes made in the cluster alone (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy
    public let isActedOnAtDeploy = true

    public init() {}

    public let parameters = Schema.object("Parameters of the apply-once policy.", [
        .optional("enable", .boolean("Apply every object once.", default: false)),
        .optional("rules", ResourceSelector.rules("Fields allowed to drift, per object.", [
            .required("strategy", .object("What may drift.", [
                .optional("affect", .oneOf(["onUpdate", "onStateKeep", "always"], "When the fields are left alone.")),
                .required("path", .array(of: .string(format: .nonEmpty), "Paths of the fields, such as spec.replicas; * for the whole object.", minItems: 1)),
            ])),
        ], selectorRequired: false)),
    ])

    public let example = DeliveryExamples.shop("""
          policies:
            - name: keep-replicas
              type: apply-once
              properties:
                enable: true
                rules:
                  - selector: {resourceTypes: [Deployment]}
                    strategy: {path: [spec.replicas]}

        """)
}
