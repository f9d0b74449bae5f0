import ArgumentParser
import KubeClient
import KubeModel
import TandemController
import TandemJSON
import TandemKubeVela

/// `tandem def apply`: definitions into the cluster, by server-side apply, where the controller
/// and `tandem up` read them.
struct DefApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Apply definitions to the cluster (server-side apply).",
        discussion: """
            Each file (a definition in CUE or as a Kubernetes object) is checked as tandem def vet \
            does, then applied as its KubeVela object. Definitions in vela-system serve every \
            namespace; a namespace's own definitions win for its applications.

            Example:
              tandem def apply log-shipper.cue
              tandem def apply microservice.cue -n shop --dry-run=server
            """)

    @Argument(help: ArgumentHelp("Definition files (.cue, or definition objects in YAML or JSON) or directories.", valueName: "file"))
    var files: [String]

    @Option(name: [.short, .long], help: ArgumentHelp("The namespace to put the definitions in.", valueName: "namespace"))
    var namespace = InstallManifests.definitionNamespace

    @Option(name: .customLong("dry-run"), help: ArgumentHelp("server: the server checks everything and changes nothing.", valueName: "server"))
    var dryRun: DryRunMode?

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one definition file") }
    }

    func run() async throws {
        // A definition that would fail every application using it never reaches the cluster.
        let (definitions, loadProblems) = DefinitionLoader().load(paths: files)
        let problems = loadProblems + definitions.flatMap { DefinitionVet.check($0) }
        guard problems.isEmpty else {
            Output.printDiagnostics(problems, format: .text)
            Output.standardError("tandem: \(problems.count) problem\(problems.count == 1 ? "" : "s") in the definitions; nothing was applied\n")
            throw ExitCode(1)
        }
        let session = try ClusterSession.open(cluster)
        do {
            let client = session.client.dryRunning(dryRun != nil)
            let suffix = dryRun != nil ? " (server dry run)" : ""
            for definition in definitions {
                var object = KubeObject(json: DefinitionObject.json(definition))
                object.json[path: ["metadata", "namespace"]] = .string(namespace)
                let applied = try await ClusterDefinitions.explainingMissingCRDs { try await client.apply(object) }
                Output.standardOutput("\(object.kind)/\(object.name) \(applied.created ? "created" : "applied") in namespace \(namespace)\(suffix)\n")
            }
            await session.close()
        } catch {
            await session.close()
            throw CLIFailure.from(error)
        }
    }
}
