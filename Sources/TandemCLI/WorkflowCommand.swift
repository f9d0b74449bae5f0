import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import TandemDeploy
import TandemJSON
import TandemRendering
import TandemWorkflow

struct WorkflowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflow",
        abstract: "Show and steer an application's delivery workflow, as vela workflow does.",
        discussion: """
            Works on an application deployed with tandem up (its workflow state is kept in the \
            ApplySet parent Secret tandem-APP) and on an Application the tandem controller manages \
            (its status.workflow, which kubectl get app shows).

            Example:
              tandem workflow status shop -n prod
              tandem workflow resume shop -n prod
              tandem workflow resume shop --step approve-production
              tandem workflow rollback shop
            """,
        subcommands: [WorkflowStatusCommand.self, WorkflowSuspendCommand.self, WorkflowResumeCommand.self,
                      WorkflowTerminateCommand.self, WorkflowRestartCommand.self, WorkflowRollbackCommand.self])
}

/// The application a workflow command is about.
struct WorkflowTargetOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The application's name (metadata.name).", valueName: "app"))
    var application: String

    @Option(name: [.short, .long], help: ArgumentHelp("The application's namespace (default: the context's).", valueName: "namespace"))
    var namespace: String?

    @OptionGroup var cluster: ClusterOptions

    /// Runs `body` with the application's workflow place; cluster errors become exit code 2.
    func run(_ body: (ClusterSession, String, WorkflowPlace) async throws -> Void) async throws {
        let session = try ClusterSession.open(cluster)
        do {
            let namespace = self.namespace ?? session.connection.namespace ?? "default"
            let place = try await WorkflowPlace.find(application, namespace: namespace, client: session.client)
            try await body(session, namespace, place)
            await session.close()
        } catch {
            await session.close()
            if let error = error as? WorkflowError { throw CLIFailure("application \(application): \(error)") }
            throw CLIFailure.from(error)
        }
    }
}

struct WorkflowStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the workflow's phase and each step's.",
        discussion: "Example:\n  tandem workflow status shop -n prod\n  tandem workflow status shop -o json")

    @OptionGroup var target: WorkflowTargetOptions

    @Option(name: .shortAndLong, help: "Output format: text, json or yaml (status.workflow as KubeVela writes it).")
    var output: StatusFormat = .text

    func run() async throws {
        try await target.run { session, _, place in
            let status = try await place.status(client: session.client)
            if output == .text {
                Output.standardOutput(WorkflowText.table(status, application: target.application))
            } else {
                Output.standardOutput(JSONWriter.write(status.json, indentWidth: 2) + "\n")  // JSON is YAML too
            }
        }
    }
}

struct WorkflowSuspendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suspend", abstract: "Suspend the workflow: no step starts until it is resumed.",
        discussion: "Example:\n  tandem workflow suspend shop -n prod")

    @OptionGroup var target: WorkflowTargetOptions

    func run() async throws {
        try await target.run { session, _, place in
            var status = try await place.status(client: session.client)
            guard !status.isFinished else { throw CLIFailure("application \(target.application): the workflow has \(status.phase.rawValue) already") }
            status.suspend()
            try await place.write(status, client: session.client)
            Output.standardOutput("application \(target.application): workflow suspended\n")
        }
    }
}

struct WorkflowTerminateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminate", abstract: "Stop the workflow for good; unfinished steps fail.",
        discussion: "Example:\n  tandem workflow terminate shop -n prod")

    @OptionGroup var target: WorkflowTargetOptions

    func run() async throws {
        try await target.run { session, _, place in
            var status = try await place.status(client: session.client)
            status.terminate()
            try await place.write(status, client: session.client)
            Output.standardOutput("application \(target.application): workflow terminated\n")
        }
    }
}

struct WorkflowResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume a suspended workflow, or only one suspended step (--step).",
        discussion: """
            For an application deployed with tandem up, the workflow then goes on here, in the \
            foreground, as tandem up runs it; the controller goes on with its own.

            Example:
              tandem workflow resume shop -n prod
              tandem workflow resume shop --step approve-production
            """)

    @OptionGroup var target: WorkflowTargetOptions

    @Option(help: ArgumentHelp("Resume only this suspended step.", valueName: "name"))
    var step: String?

    @Option(help: ArgumentHelp("How long to wait for health, like 90s, 5m or 1h.", valueName: "duration"))
    var timeout: TimeSpan = TimeSpan(.seconds(300))

    @OptionGroup var definitions: DefinitionOptions

    func run() async throws {
        try await target.run { session, namespace, place in
            var status = try await place.status(client: session.client)
            try status.resume(step: step)
            try await place.write(status, client: session.client)
            Output.standardOutput("application \(target.application): workflow resumed\n")
            guard case .commandLine(let parent, let record) = place else { return }
            try await WorkflowContinuation(session: session, namespace: namespace, timeout: timeout, definitions: definitions).run(parent: parent, record: record)
        }
    }
}

struct WorkflowRestartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart", abstract: "Run the workflow again from its first step.",
        discussion: "Example:\n  tandem workflow restart shop -n prod")

    @OptionGroup var target: WorkflowTargetOptions

    @Option(help: ArgumentHelp("How long to wait for health, like 90s, 5m or 1h.", valueName: "duration"))
    var timeout: TimeSpan = TimeSpan(.seconds(300))

    @OptionGroup var definitions: DefinitionOptions

    func run() async throws {
        try await target.run { session, namespace, place in
            try await place.restart(client: session.client)
            Output.standardOutput("application \(target.application): workflow restarted\n")
            guard case .commandLine(let parent, let record) = place else { return }
            try await WorkflowContinuation(session: session, namespace: namespace, timeout: timeout, definitions: definitions).run(parent: parent, record: record)
        }
    }
}

/// Goes on with the workflow of an application deployed by `tandem up`, from the Application
/// recorded with it, as `tandem up` would.
struct WorkflowContinuation {
    var session: ClusterSession
    var namespace: String
    var timeout: TimeSpan
    var definitions: DefinitionOptions

    func run(parent: SecretParent, record: WorkflowRecord) async throws {
        let name = parent.application
        guard let document = record.application else {
            throw CLIFailure("application \(name): its file was read from standard input, so it is not recorded; "
                + "to go on, run tandem up with its file again")
        }
        let client = session.client
        let (version, _) = try await session.kubeVersion()
        let loaded = try await ClusterDefinitions.load(client, applicationNamespaces: [namespace], usedTypes: nil)
        let (registry, problems) = definitions.load(cluster: loaded)
        // Rendered as tandem up rendered it (the namespace -n gave it is in the recorded document).
        let options = RenderOptions(kubeVersion: KubeVersion.target(for: version)?.version ?? .newest)
        let (rendered, diagnostics) = RenderPipeline(registry: registry, options: options).render(json: document)
        guard let rendered, !problems.contains(where: \.isError) else {
            let errors = (problems + diagnostics).filter(\.isError).map(\.description)
            throw CLIFailure("application \(name) no longer renders with the cluster's definitions; run tandem up with its file again:\n  "
                + errors.joined(separator: "\n  "))
        }
        let target = try await ApplicationTarget.prepare(rendered, session: session, namespaceFlag: namespace, createNamespace: false, dryRun: false)
        let display = ProgressDisplay()
        let delivery = ApplicationDelivery(plan: DeliveryPlan(target.plan), parent: target.parent, deployer: Deployer(client: client))
        let deadline = ContinuousClock.now + timeout.duration
        if try await UpCommand.runWorkflow(delivery, target: target, document: document, session: session, deadline: deadline,
                                           timeout: timeout, noWait: false, display: display) {
            try await UpCommand.waitForHealth([target], session: session, deadline: deadline, timeout: timeout, display: display)
        }
    }
}

/// A workflow's state in words.
enum WorkflowText {
    static func table(_ status: WorkflowStatus, application: String) -> String {
        var text = "application \(application): workflow \(status.phase.rawValue)" + (status.message.map { ": \($0)" } ?? "") + "\n"
        guard !status.steps.isEmpty else { return text }
        var rows: [[String]] = [["STEP", "TYPE", "PHASE", "MESSAGE"]]
        for step in status.steps {
            rows.append([step.name, step.type, step.phase.rawValue, step.message ?? step.reason ?? ""])
            for sub in step.subSteps { rows.append(["  " + sub.name, sub.type, sub.phase.rawValue, sub.message ?? sub.reason ?? ""]) }
        }
        text += "\n" + TextTable(rows).render(width: nil)
        return text
    }
}

/// `vela workflow rollback`: back to what was delivered before the current revision — the same
/// as `tandem rollback APP` without `--revision`, which it runs.
struct WorkflowRollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Deliver the revision before the current again (as tandem rollback APP does).",
        discussion: """
            For a workflow that is suspended, failed or terminated after a change: the previous \
            revision comes back, as a new revision. tandem rollback APP --revision N picks another.

            Example:
              tandem workflow rollback shop -n prod
            """)

    @OptionGroup var target: WorkflowTargetOptions

    func run() async throws {
        var rollback = try RollbackCommand.parse([target.application] + (target.namespace.map { ["-n", $0] } ?? []))
        rollback.cluster = target.cluster
        try await rollback.run()
    }
}
