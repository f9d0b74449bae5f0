import TandemModel

/// `webhook`: sends the Application (or the given data) as JSON to a URL.
public struct WebhookStep: WorkflowStepDefinition {
    public let name = "webhook"
    public let description = "Posts the Application, or the given data, as JSON to a URL (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy

    public init() {}

    public let parameters = Schema.object("Parameters of the webhook step.", [
        .required("url", NotificationStep.address("The URL to post to")),
        .optional("data", .map(of: .any(), "The data to send (default: the Application).")),
    ])

    public let example = DeliveryExamples.shop("""
          workflow:
            steps:
              - name: deploy
                type: apply-application
              - name: tell-ci
                type: webhook
                properties:
                  url: {value: "https://ci.example.com/hooks/deployed"}

        """)
}
