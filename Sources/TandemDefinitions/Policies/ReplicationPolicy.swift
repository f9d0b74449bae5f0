import TandemModel

/// `replication`: a deploy step that lists it delivers the selected components once per key,
/// each copy with `context.replicaKey`, as KubeVela does.
public struct ReplicationPolicy: PolicyDefinition {
    public let name = "replication"
    public let description = "Delivers selected components once per key in the deploy steps that list it; each copy reads its key as context.replicaKey (the built-in types ignore it, so their copies are alike and delivered once)."
    public let stage = DeliveryStage.render

    public init() {}

    public let parameters = Schema.object("Parameters of the replication policy.", [
        .required("keys", .array(of: .string(format: .dns1123Label), "The keys: one copy of each selected component per key.", minItems: 1)),
        .optional("selector", .array(of: .string(format: .dns1123Label), "The components to replicate (default: every component).")),
    ])

    public let example = DeliveryExamples.shop("""
          policies:
            - name: per-zone
              type: replication
              properties:
                keys: [zone-a, zone-b]
          workflow:
            steps:
              - name: zones
                type: deploy
                properties:
                  policies: [per-zone]

        """)
}
