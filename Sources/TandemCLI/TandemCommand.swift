import ArgumentParser
import Foundation
import KubeModel

/// The `tandem` command: an Open Application Model platform.
public struct TandemCommand: AsyncParsableCommand {
    public static let version = "0.2.0"

    public static let configuration = CommandConfiguration(
        commandName: "tandem",
        abstract: "Validate, render and deploy Open Application Model applications.",
        discussion: """
            Exit codes: 0 success; 1 the application is invalid (diagnostics on stderr, nothing on \
            stdout); 2 the cluster or runtime failed; 64 bad command-line usage.
            """,
        version: version,
        subcommands: [RenderCommand.self, ValidateCommand.self, UpCommand.self, DiffCommand.self, StatusCommand.self, ListCommand.self,
                      DeleteCommand.self, RevisionsCommand.self, RollbackCommand.self, WorkflowCommand.self, LogsCommand.self, ExecCommand.self,
                      PortForwardCommand.self, DownCommand.self, InstallCommand.self, ControllerCommand.self,
                      DashboardCommand.self, DefinitionsCommand.self, ShowCommand.self, SchemaCommand.self, DocsCommand.self, DefCommand.self, VersionCommand.self,
                      CompletionCommand.self, LocalSuperviseCommand.self, LocalProbeCommand.self, LocalForwardCommand.self])

    public init() {}

    /// Runs the command line: failures of the environment are one line on stderr and exit code 2,
    /// never a crash or a stack of error domains.
    public static func runMain() -> Never {
        // Before any thread or file exists: a reader that went away ends writes with EPIPE,
        // which Output handles, not a signal; a closed standard stream is held on /dev/null.
        signal(SIGPIPE, SIG_IGN)
        Output.guardStandardStreams()
        Task { await run() }
        // run() ends the process. The main thread waits on a semaphore meanwhile, not in
        // dispatchMain(): that parks it in sigsuspend, which valgrind 3.19 aborts on, and
        // tandem-bench counts instructions under valgrind. Nothing here uses the main queue.
        let finished = DispatchSemaphore(value: 0)
        while true { finished.wait() }
    }

    private static func run() async -> Never {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch let failure as CLIFailure {
            Output.standardError("tandem: \(failure)\n")
            Foundation.exit(failure.exitCode)
        } catch {
            exit(withError: error)
        }
    }
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version, the Swift it was built with, and the Kubernetes versions it renders for.",
        discussion: "Example:\n  tandem version")

    func run() {
        #if swift(>=6.3)
        let swift = "6.3 or later"
        #else
        let swift = "6.1 or 6.2"
        #endif
        Output.standardOutput("""
            tandem \(TandemCommand.version)
            built with Swift \(swift)
            Kubernetes 1.\(KubeVersion.supported.lowerBound.minor) to \(KubeVersion.newest) (newer clusters are rendered for \(KubeVersion.newest))

            """)
    }
}

struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print a shell completion script: bash, zsh or fish.",
        discussion: """
            Example:
              source <(tandem completion bash)
              tandem completion zsh > "${fpath[1]}/_tandem"
              tandem completion fish > ~/.config/fish/completions/tandem.fish
            """)

    @Argument(help: "bash, zsh or fish.")
    var shell: CompletionShell

    func run() {
        Output.standardOutput(TandemCommand.completionScript(for: shell))
    }
}

extension CompletionShell: @retroactive ExpressibleByArgument {}
