import ArgumentParser

/// The `tandem` command: an Open Application Model platform.
public struct TandemCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tandem",
        abstract: "Validate and render Open Application Model applications to Kubernetes objects.",
        discussion: """
            Exit codes: 0 success; 1 the application is invalid (diagnostics on stderr, nothing on \
            stdout); 2 the cluster or runtime failed; 64 bad command-line usage.
            """,
        version: "0.1.0",
        subcommands: [RenderCommand.self, ValidateCommand.self, DefinitionsCommand.self, ShowCommand.self, SchemaCommand.self, DocsCommand.self])

    public init() {}
}
