import ArgumentParser
import Foundation
import TandemJSON
import TandemKubeVela
import TandemModel
import TandemRendering

/// `tandem def`: writing KubeVela definitions, as `vela def` does.
struct DefCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "def",
        abstract: "Write and check KubeVela definitions (CUE).",
        discussion: """
            Example:
              tandem def init log-shipper --type trait > log-shipper.cue
              tandem def vet log-shipper.cue
              tandem def render log-shipper.cue > log-shipper.yaml
            """,
        subcommands: [DefInitCommand.self, DefVetCommand.self, DefRenderCommand.self, DefStatusCommand.self])
}

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

struct DefVetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vet", abstract: "Check definitions: parse them and evaluate them with their parameters' defaults.",
        discussion: "Example:\n  tandem def vet log-shipper.cue microservice.cue")

    @Argument(help: ArgumentHelp("Definition files (.cue, or definition objects in YAML or JSON) or directories.", valueName: "file"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one definition file") }
    }

    func run() throws {
        let (definitions, loadProblems) = DefinitionLoader().load(paths: files)
        let problems = loadProblems + definitions.flatMap { DefinitionVet.check($0) }
        Output.printDiagnostics(problems, format: .text)
        guard problems.isEmpty else {
            Output.standardError("tandem: \(problems.count) problem\(problems.count == 1 ? "" : "s") in the definitions\n")
            throw ExitCode(1)
        }
        for definition in definitions {
            Output.standardError("tandem: \(definition.file): \(definition.kind.rawValue) \(definition.name) is valid\n")
        }
    }
}

struct DefRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Print a definition as the Kubernetes object to apply to a cluster (YAML).",
        discussion: "Example:\n  tandem def render log-shipper.cue | kubectl apply -n vela-system -f -")

    @Argument(help: ArgumentHelp("A definition file.", valueName: "file"))
    var file: String

    func run() throws {
        let (definitions, problems) = DefinitionLoader().load(paths: [file])
        guard problems.isEmpty else {
            Output.printDiagnostics(problems, format: .text)
            throw ExitCode(1)
        }
        Output.standardOutput(YAMLWriter.documents(definitions.map(DefinitionObject.json)))
    }
}
