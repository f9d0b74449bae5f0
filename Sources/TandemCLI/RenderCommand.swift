import ArgumentParser
import TandemJSON
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
        let format = output
        // Each application is written out as soon as it is rendered; only the text is kept.
        let result = input.run { rendered -> [UInt8] in
            let objects = rendered.objects.map(\.object.json)
            switch format {
            case .yaml: return YAMLWriter.documentBytes(objects)
            case .json: return Array(objects.map { JSONWriter.fragment($0, depth: 2) }.joined(separator: ",\n").utf8)
            }
        }
        guard !result.hasErrors else {
            if input.diagnosticsFormat == .text {
                Output.standardError("tandem: \(Output.count(result.errorCount, result.warningCount)); nothing rendered\n")
            }
            throw ExitCode(1)
        }
        switch output {
        case .yaml:
            Output.standardOutput(result.outputs)
        case .json:
            let items = result.outputs.filter { !$0.isEmpty }
            guard !items.isEmpty else { return Output.standardOutput("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"List\",\n    \"items\": []\n}\n") }
            var pieces = [Array("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"List\",\n    \"items\": [\n".utf8)]
            for (index, item) in items.enumerated() { pieces += index == 0 ? [item] : [Array(",\n".utf8), item] }
            Output.standardOutput(pieces + [Array("\n    ]\n}\n".utf8)])
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case yaml, json
}
