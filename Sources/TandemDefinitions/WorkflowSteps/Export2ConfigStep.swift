import TandemModel

/// `export2config`: writes data to a ConfigMap.
public struct Export2ConfigStep: WorkflowStepDefinition {
    public let name = "export2config"
    public let description = "Writes data to a ConfigMap (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy

    public init() {}

    public let parameters = Schema.object("Parameters of the export2config step.", [
        .required("configName", .string("The ConfigMap's name.", format: .dns1123Subdomain)),
        .optional("namespace", .string("Its namespace (default: the Application's).", format: .dns1123Label)),
        .required("data", .map(of: .any(), "The data.")),
        .optional("cluster", .string("The cluster; empty or local for the one Tandem deploys to.", default: "")),
    ])

    public let example = DeliveryExamples.shop("""
          workflow:
            steps:
              - name: deploy
                type: apply-application
              - name: record
                type: export2config
                properties:
                  configName: shop-release
                  data: {version: "5"}

        """)
}
