import TandemModel

/// `override`: per-environment changes to components — properties merged in, traits merged,
/// added or removed — selected by component name or type.
public struct OverridePolicy: PolicyDefinition {
    public let name = "override"
    public let description = "Changes components for a deploy step: merges properties and traits into them, or removes traits."
    public let stage = DeliveryStage.render

    public init() {}

    public let parameters = Schema.object("Parameters of the override policy.", [
        .optional("components", .array(of: .object("Changes to the components it selects.", [
            .optional("name", .string("The component to change (default: every component).", format: .dns1123Label)),
            .optional("type", .string("Only components of this type.", format: .nonEmpty)),
            .optional("properties", .map(of: .any(), "Properties merged into the component's: mappings merge, other values replace.")),
            .optional("traits", .array(of: .object("Changes to a trait, matched by type; a trait the component lacks is added.", [
                .required("type", .string("The trait type.", format: .nonEmpty)),
                .optional("properties", .map(of: .any(), "Properties merged into the trait's.")),
                .optional("disable", .boolean("Remove the trait.", default: false)),
            ]), "Trait changes.")),
        ]), "The changes, applied in order.")),
        .optional("selector", .array(of: .string(format: .dns1123Label), "Deploy only these components (default: every component).")),
    ])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: shop
        spec:
          components:
            - name: frontend
              type: webservice
              properties:
                image: example/shop:5
                cpu: 250m
              traits:
                - type: scaler
                  properties: {replicas: 1}
          policies:
            - name: production
              type: override
              properties:
                components:
                  - name: frontend
                    properties: {cpu: "1"}
                    traits:
                      - type: scaler
                        properties: {replicas: 3}

        """
}
