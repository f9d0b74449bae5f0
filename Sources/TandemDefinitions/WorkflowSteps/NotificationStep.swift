import TandemModel

/// `notification`: messages to Slack, DingTalk, Lark or email while the workflow runs.
public struct NotificationStep: WorkflowStepDefinition {
    public let name = "notification"
    public let description = "Sends a message to Slack, DingTalk, Lark or by email (taken into account at deploy time)."
    public let stage = DeliveryStage.deploy

    public init() {}

    /// A URL (or password) given as a value, or read from a Secret.
    package static func address(_ what: String) -> Schema {
        .object("\(what): a value, or a key of a Secret.", [
            .optional("value", .string("\(what), as text.", format: .nonEmpty)),
            .optional("secretRef", .object("A key of a Secret in the Application's namespace.", [
                .required("name", .string("The Secret.", format: .dns1123Subdomain)),
                .required("key", .string("The key.", format: .nonEmpty)),
            ])),
        ], noun: "an address", exactlyOneOf: [["value", "secretRef"]])
    }

    /// A message whose fields belong to the service it is sent to: `required` checked, the rest kept.
    static func message(_ description: String, required: [String]) -> Schema {
        .openObject(description, required.map { .required($0, .any()) })
    }

    public let parameters = Schema.object("Parameters of the notification step: one or more of the channels.", [
        .optional("slack", .object("A Slack message.", [
            .required("url", address("The incoming webhook URL")),
            .required("message", message("The message (Slack's payload: text, blocks, attachments, ...).", required: ["text"])),
        ])),
        .optional("dingding", .object("A DingTalk message.", [
            .required("url", address("The robot's webhook URL")),
            .required("message", message("The message (DingTalk's payload: msgtype, text, link, markdown, ...).", required: [])),
        ])),
        .optional("lark", .object("A Lark message.", [
            .required("url", address("The bot's webhook URL")),
            .required("message", message("The message: msg_type and content (JSON text).", required: ["msg_type", "content"])),
        ])),
        .optional("email", .object("An email.", [
            .required("from", .object("The sender.", [
                .required("address", .string("The sender's address.", format: .nonEmpty)),
                .optional("alias", .string("The name shown as sender.")),
                .required("password", address("The password of the mail account")),
                .required("host", .string("The SMTP host.", format: .nonEmpty)),
                .optional("port", .integer("The SMTP port.", range: 1...65535, default: 587)),
            ])),
            .required("to", .array(of: .string(format: .nonEmpty), "The recipients.", minItems: 1)),
            .required("content", .object("The email.", [
                .required("subject", .string("The subject.")),
                .required("body", .string("The body.")),
            ])),
        ])),
    ], atLeastOneOf: [["slack", "dingding", "lark", "email"]])

    public let example = DeliveryExamples.shop("""
          workflow:
            steps:
              - name: deploy
                type: apply-application
              - name: tell-the-team
                type: notification
                properties:
                  slack:
                    url: {secretRef: {name: slack, key: webhook}}
                    message: {text: "shop is deployed"}

        """)
}
