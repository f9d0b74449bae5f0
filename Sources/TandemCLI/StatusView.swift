import TandemDeploy
import TandemJSON
import TandemRendering
import TandemWorkflow

/// How `status` shows an application's health: the table, the tree, JSON or YAML.
struct StatusView: Sendable {
    var format: StatusFormat
    var tree: Bool
    var width: Int?
    var colours: Bool

    /// With the application's workflow, when it has one: its steps after the health. With
    /// `controller`, the status the tandem controller wrote on the Application object.
    func render(_ health: ApplicationHealth, workflow: WorkflowStatus? = nil, application: String = "",
                controller: JSONValue? = nil) -> String {
        var json = HealthText.json(health)
        if let workflow { json["workflow"] = workflow.json }
        if let controller { json["controller"] = controller }
        switch format {
        case .text:
            var text = tree ? StatusTree.text(health, colours: colours) : HealthText.table(health, width: width)
            if let controller { text += "\n" + ControllerManagedApplication.controllerText(controller) }
            return workflow.map { text + "\n" + WorkflowText.table($0, application: application) } ?? text
        case .json: return JSONWriter.write(json, indentWidth: 2) + "\n"
        case .yaml: return YAMLWriter.document(json)
        }
    }
}
