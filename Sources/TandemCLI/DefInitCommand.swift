import ArgumentParser
import TandemKubeVela
import TandemModel

struct DefInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Print a new definition to start from (it passes tandem def vet).",
        discussion: "Example:\n  tandem def init my-worker --type component > my-worker.cue")

    @Argument(help: "The definition's name.")
    var name: String

    @Option(name: [.customShort("t"), .customLong("type")], help: "component, trait, policy or workflow-step.")
    var type: String

    @Option(name: [.customLong("desc"), .customLong("description")], help: "What it does, in a sentence.")
    var description: String = ""

    func validate() throws {
        guard DefinitionKind(rawValue: type) != nil else {
            throw ValidationError("--type must be component, trait, policy or workflow-step")
        }
        if let problem = StringFormat.dns1123Label.violation(in: name) {
            throw ValidationError("'\(name)' is not a valid definition name: \(problem)")
        }
    }

    func run() {
        guard let kind = DefinitionKind(rawValue: type) else { return }
        Output.standardOutput(DefinitionScaffold.text(name: name, kind: kind, description: description))
    }
}
