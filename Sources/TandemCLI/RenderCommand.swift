import ArgumentParser
import TandemModel
import TandemRendering

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Validate Applications and print the Kubernetes objects they render to.",
        discussion: """
            Prints multi-document YAML on stdout, or one List with -o json. Problems are printed on \
            stderr, and when there is any error nothing is printed on stdout and the exit code is 1.

            Example:
              tandem render examples/01-minimal.yaml
              cat app.yaml | tandem render - -o json --kube-version 1.29
            """,
        aliases: ["dry-run"])

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: "Output format: yaml or json.")
    var output: OutputFormat = .yaml

    func run() throws {
        let result = input.run()
        guard !result.hasErrors else {
            if input.diagnosticsFormat == .text {
                Output.standardError("tandem: \(Output.count(result.errorCount, result.warningCount)); nothing rendered\n")
            }
            throw ExitCode(1)
        }
        let objects = result.objects.map(\.json)
        switch output {
        case .yaml:
            Output.standardOutput(YAMLWriter.documents(objects))
        case .json:
            Output.standardOutput(JSONWriter.write(["apiVersion": "v1", "kind": "List", "items": .array(objects)]))
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case yaml, json
}
