import ArgumentParser
import TandemDefinitions
import TandemModel

/// Where a command's definitions come from: Tandem's built-ins, which the files named with
/// `--definitions` (and `TANDEM_DEFINITIONS`) extend or replace.
struct DefinitionOptions: ParsableArguments {
    /// The definitions for this run and the problems found loading them.
    func load() -> (registry: DefinitionRegistry, problems: [Diagnostic]) {
        (.builtIn, [])
    }

    /// The definitions for this run; a problem loading them is printed and ends the command.
    func registry() throws -> DefinitionRegistry {
        let (registry, problems) = load()
        guard problems.isEmpty else {
            Output.printDiagnostics(problems, format: .text)
            throw ExitCode(1)
        }
        return registry
    }
}
