import TandemModel

/// `export2secret`: writes data, or a registry's credentials, to a Secret.
public struct Export2SecretStep: WorkflowStepDefinition {
    public let name = "export2secret"
    public let description = "Writes data, or a docker registry's credentials, to a Secret (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy

    public init() {}

    public let parameters = Schema.object("Parameters of the export2secret step.", [
        .required("secretName", .string("The Secret's name.", format: .dns1123Subdomain)),
        .optional("namespace", .string("Its namespace (default: the Application's).", format: .dns1123Label)),
        .optional("type", .string("The Secret's type.", format: .nonEmpty)),
        .optional("data", .map(of: .any(), "The data.")),
        .optional("cluster", .string("The cluster; empty or local for the one Tandem deploys to.", default: "")),
        .optional("kind", .oneOf(["generic", "docker-registry"], "generic data, or a docker registry's credentials.", default: "generic")),
        .optional("dockerRegistry", .object("The registry's credentials, for kind docker-registry.", [
            .required("username", .string("The user.")),
            .required("password", .string("The password.")),
            .optional("server", .string("The registry.", default: "https://index.docker.io/v1/")),
        ])),
    ])

    public let example = DeliveryExamples.shop("""
          workflow:
            steps:
              - name: deploy
                type: apply-application
              - name: keep-the-token
                type: export2secret
                properties:
                  secretName: shop-token
                  data: {token: "t0k3n"}

        """)
}
