import TandemModel

/// `request`: sends an HTTP request; its response is the step's output.
public struct RequestStep: WorkflowStepDefinition {
    public let name = "request"
    public let description = "Sends an HTTP request; its response (`response`: the JSON body) can be an output (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy

    public init() {}

    public let parameters = Schema.object("Parameters of the request step.", [
        .required("url", .string("The URL.", format: .nonEmpty)),
        .optional("method", .oneOf(["GET", "POST", "PUT", "DELETE"], "The HTTP method.", default: "GET")),
        .optional("body", .map(of: .any(), "A JSON body to send.")),
        .optional("header", .map(of: .string(), "Headers to send.")),
    ])

    public let example = DeliveryExamples.shop("""
          workflow:
            steps:
              - name: ask
                type: request
                properties: {url: "https://api.example.com/release"}
                outputs:
                  - {name: version, valueFrom: response.version}
              - name: deploy
                type: apply-application

        """)
}
