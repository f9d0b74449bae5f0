import TandemModel

/// `suspend`: pauses the workflow until it is resumed, or for a duration.
public struct SuspendStep: WorkflowStepDefinition {
    public let name = "suspend"
    public let description = "Pauses the workflow until it is resumed or a duration has passed (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy

    public init() {}

    public let parameters = Schema.object("Parameters of the suspend step.", [
        .optional("duration", .string("Resume by itself after this long, such as 30s or 2m15s.", format: .nonEmpty)),
        .optional("message", .string("A message shown while suspended.")),
    ])

    public let example = DeliveryExamples.shop("""
          workflow:
            steps:
              - name: approval
                type: suspend
                properties: {message: "Approve the release"}
              - name: deploy
                type: apply-application

        """)
}
