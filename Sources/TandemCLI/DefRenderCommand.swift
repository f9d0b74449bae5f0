import ArgumentParser
import TandemKubeVela
import TandemRendering

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
