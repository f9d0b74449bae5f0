/// The names of the step types the engine runs itself.
enum StepType {
    static let deploy = "deploy"
    static let applyComponent = "apply-component"
    static let applyApplication = "apply-application"
    static let suspend = "suspend"
    static let stepGroup = "step-group"
    static let dependsOnApp = "depends-on-app"
    static let notification = "notification"
    static let webhook = "webhook"
    static let request = "request"
    static let export2config = "export2config"
    static let export2secret = "export2secret"
    static let printMessageInStatus = "print-message-in-status"
    static let applyObject = "apply-object"
    static let readObject = "read-object"
}
