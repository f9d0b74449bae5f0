import ArgumentParser

/// `tandem def`: writing KubeVela definitions, as `vela def` does.
struct DefCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "def",
        abstract: "Write and check KubeVela definitions (CUE), and apply them to the cluster.",
        discussion: """
            Example:
              tandem def init log-shipper --type trait > log-shipper.cue
              tandem def vet log-shipper.cue
              tandem def render log-shipper.cue > log-shipper.yaml
              tandem def apply log-shipper.cue
              tandem def list
            """,
        subcommands: [DefInitCommand.self, DefVetCommand.self, DefRenderCommand.self, DefStatusCommand.self, DefApplyCommand.self, DefListCommand.self])
}
