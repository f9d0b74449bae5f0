import ArgumentParser
import TandemModel
import TandemRendering

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check Applications and report every problem, without printing objects.",
        discussion: """
            Prints the diagnostics on stderr and a one-line summary: on stdout when the input is \
            valid, on stderr when it is not (exit code 1).

            Example:
              tandem validate app.yaml
              tandem validate --diagnostics json apps/
            """)

    @OptionGroup var input: InputOptions

    func run() throws {
        let result = input.run { _ in () }
        let components = result.componentCount
        let applications = result.applicationCount
        let summary = "\(applications) application\(applications == 1 ? "" : "s"), \(components) component\(components == 1 ? "" : "s")"
        if result.hasErrors {
            if input.diagnosticsFormat == .text {
                Output.standardError("tandem: invalid: \(Output.count(result.errorCount, result.warningCount))\n")
            }
            throw ExitCode(1)
        }
        if input.diagnosticsFormat == .text {
            Output.standardOutput("tandem: valid: \(summary)" + (result.warningCount > 0 ? ", \(Output.count(0, result.warningCount))" : "") + "\n")
        }
    }
}
