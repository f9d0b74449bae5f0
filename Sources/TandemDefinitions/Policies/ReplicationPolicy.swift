import TandemModel

/// `replication`: renders components once per key, for definitions that read context.replicaKey.
public struct ReplicationPolicy: PolicyDefinition {
    public let name = "replication"
    public let description = "Renders selected components once per key, for component types that read context.replicaKey (not supported by the built-in types)."
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

        """)
}
