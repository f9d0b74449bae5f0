import TandemDeploy
import TandemJSON
import TandemRendering

/// How `status` shows an application's health: the table, the tree, JSON or YAML.
struct StatusView: Sendable {
    var format: StatusFormat
    var tree: Bool
    var width: Int?
    var colours: Bool

    func render(_ health: ApplicationHealth) -> String {
        switch format {
        case .text: return tree ? StatusTree.text(health, colours: colours) : HealthText.table(health, width: width)
        case .json: return JSONWriter.write(HealthText.json(health), indentWidth: 2) + "\n"
        case .yaml: return YAMLWriter.document(HealthText.json(health))
        }
    }
}
