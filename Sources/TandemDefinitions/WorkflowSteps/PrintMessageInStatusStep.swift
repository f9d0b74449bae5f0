import TandemModel

/// `print-message-in-status`: leaves a message in the step's status.
public struct PrintMessageInStatusStep: WorkflowStepDefinition {
    public let name = "print-message-in-status"
    public let description = "Prints a message in the step's status (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy

    public init() {}

    public let parameters = Schema.object("Parameters of the print-message-in-status step.", [
        .required("message", .string("The message.")),
    ])

    public let example = DeliveryExamples.shop("""
          workflow:
            steps:
              - name: deploy
                type: apply-application
              - name: say-where
                type: print-message-in-status
                properties: {message: "shop is deployed"}

        """)
}
