import ArgumentParser
import Foundation
import TandemDefinitions
import TandemKubeVela
import TandemModel

/// Where a command's definitions come from: Tandem's built-ins, which the KubeVela definitions
/// named with `--definitions` (and `TANDEM_DEFINITIONS`) extend or replace for the run.
struct DefinitionOptions: ParsableArguments {
    @Option(name: .customLong("definitions"), help: ArgumentHelp(
        "KubeVela definitions (a .cue file from vela def, a definition object in YAML or JSON, or a directory of them) to use besides the built-ins; may be repeated. TANDEM_DEFINITIONS names more, separated by colons.",
        valueName: "path"))
    var paths: [String] = []

    /// The paths from `TANDEM_DEFINITIONS` first, then those of `--definitions`.
    var allPaths: [String] {
        let environment = ProcessInfo.processInfo.environment["TANDEM_DEFINITIONS"] ?? ""
        return environment.split(separator: ":").map(String.init).filter { !$0.isEmpty } + paths
    }

    /// The definitions for this run and the problems found loading them. A definition named
    /// like a built-in replaces it, with a note on stderr.
    /// `cluster` are the definitions read from the cluster: the files' win over them.
    func load(cluster: DefinitionLoader.Loaded = ([], [])) -> (registry: DefinitionRegistry, problems: [Diagnostic]) {
        let paths = allPaths
        guard !paths.isEmpty || !cluster.definitions.isEmpty || !cluster.problems.isEmpty else { return (.builtIn, []) }
        let (definitions, problems) = paths.isEmpty ? ([], []) : DefinitionLoader().load(paths: paths)
        let (registry, replaced) = CustomDefinitions.registry(adding: cluster.definitions + definitions)
        let fromFiles = Set(definitions.map { "\($0.kind.rawValue) \($0.name)" })
        var said: Set<String> = []
        for name in replaced where said.insert(name).inserted {
            let origin = fromFiles.contains(name) ? "from your definitions" : "in the cluster"
            Output.standardError("tandem: note: the \(name) \(origin) replaces the built-in one for this run\n")
        }
        return (registry, cluster.problems + problems)
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
