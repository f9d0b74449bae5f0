import ArgumentParser
import TandemKubeVela
import TandemModel

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
