import ArgumentParser
import Foundation
import KubeClient
import KubeModel
import TandemDeploy
import TandemJSON
import TandemRendering
import TandemWorkflow

struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Deploy Applications to the cluster of the current kubeconfig context, prune, and wait until healthy.",
        discussion: """
            Renders for the cluster's own version, checks every object with a server-side dry run, \
            applies them with server-side apply (namespaces, definitions, service accounts, \
            configuration and RBAC before workloads), deletes what the application no longer \
            renders, and waits until everything is healthy, showing progress. Each Application is \
            an ApplySet: a Secret tandem-NAME in its namespace lists what it owns, and its objects \
            carry the label applyset.kubernetes.io/part-of, as kubectl's ApplySets do.

            Exit codes: 0 healthy; 1 the application is invalid; 2 the cluster refused it, something \
            failed, or it was not healthy within --timeout.

            Example:
              tandem up app.yaml
              tandem up app.yaml --dry-run=server
              tandem up app.yaml -n shop --timeout 10m --context staging
              tandem up --local app.yaml --with secrets.yaml   (on this machine, through podman)
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var local: LocalUpOptions

    @Option(help: ArgumentHelp("How long to wait for health, like 90s, 5m or 1h.", valueName: "duration"))
    var timeout: TimeSpan = TimeSpan(.seconds(300))

    @Flag(name: .customLong("no-wait"), help: "Apply and prune, then exit without waiting for health.")
    var noWait = false

    @Option(name: .customLong("dry-run"), help: ArgumentHelp("server: the server checks everything and changes nothing.", valueName: "server"))
    var dryRun: DryRunMode?

    @Flag(name: .customLong("force-conflicts"), help: "Take fields another manager owns instead of stopping at a conflict.")
    var forceConflicts = false

    @Flag(name: .customLong("take-over"), help: "Adopt objects that exist and are not this application's (another's, or nobody's).")
    var takeOver = false

    @Flag(name: .customLong("create-namespace"), help: "Create the application's namespace when it does not exist.")
    var createNamespace = false

    func validate() throws {
        guard local.local else { return }
        // With --local, a cluster flag either has its local meaning (--dry-run, --no-wait) or is refused.
        let clusterOnly: [(String, Bool)] = [
            ("--force-conflicts", forceConflicts), ("--take-over", takeOver), ("--create-namespace", createNamespace),
            ("--kubeconfig", cluster.kubeconfig != nil), ("--context", cluster.context != nil), ("--verbose", cluster.verbose),
            ("--request-timeout", cluster.requestTimeout.duration != .seconds(60)),
        ]
        if let (flag, _) = clusterOnly.first(where: \.1) {
            throw ValidationError("\(flag) is for a cluster and does not go with --local")
        }
    }

    func run() async throws {
        if local.local {
            return try await LocalUp(input: input, options: local, timeout: timeout, dryRun: dryRun != nil, noWait: noWait).run()
        }
        let session = try ClusterSession.open(cluster)
        do {
            try await deploy(session)
            await session.close()
        } catch {
            await session.close()
            throw CLIFailure.from(error)
        }
    }

    private func deploy(_ session: ClusterSession) async throws {
        let (version, versionText) = try await session.kubeVersion()
        guard KubeVersion.target(for: version) != nil else {
            throw CLIFailure("the cluster runs Kubernetes \(versionText), older than tandem supports "
                + "(1.\(KubeVersion.supported.lowerBound.minor) or later)")
        }
        var input = self.input
        input.kubeVersion = version
        let fallback = input.namespace ?? session.connection.namespace ?? "default"
        let ahead = input.applicationsAhead(fallback: fallback)
        let clusterDefinitions = try await ClusterDefinitions.load(session.client, applicationNamespaces: ahead.namespaces,
                                                                   usedTypes: ahead.types)
        let result = input.run(clusterDefinitions: clusterDefinitions) { $0 }
        guard !result.hasErrors else {
            if input.diagnosticsFormat == .text {
                Output.standardError("tandem: \(Output.count(result.errorCount, result.warningCount)); nothing was deployed\n")
            }
            throw ExitCode(1)
        }
        let isDryRun = dryRun != nil
        let display = ProgressDisplay()
        var targets: [ApplicationTarget] = []
        var revisions = UpRevisions()
        for application in result.outputs {
            let application = try await revisions.prepare(application, input: input, session: session)
            targets.append(try await ApplicationTarget.prepare(application, session: session, namespaceFlag: input.namespace,
                                                               createNamespace: createNamespace, dryRun: isDryRun))
        }
        let deadline = ContinuousClock.now + timeout.duration
        let waits = !isDryRun && !noWait
        var waitFor: [ApplicationTarget] = []
        for target in targets {
            let warnings = try await Preflight(client: session.client).missing(in: target.plan)
            Output.printDiagnostics(warnings, format: input.diagnosticsFormat)
            let deployer = Deployer(client: session.client.dryRunning(isDryRun), options: DeployOptions(
                forceConflicts: forceConflicts, takeOver: takeOver))
            let delivery = ApplicationDelivery(plan: DeliveryPlan(target.plan), parent: target.parent, deployer: deployer)
            let events = Self.present(isDryRun: isDryRun, steps: delivery.plan.steps.count, on: display)
            if !isDryRun, !target.plan.application.application.workflow.isEmpty {
                // The workflow runs here, in the foreground; with --no-wait it goes as far as it can now.
                var document = input.applicationDocument(named: target.name, namespace: target.plan.application.namespace)
                // Recorded as rendered: with the namespace -n gave it, so that it renders the same again.
                if let flag = input.namespace, document?[path: ["metadata", "namespace"]] == nil {
                    document?[path: ["metadata", "namespace"]] = .string(flag)
                }
                if try await Self.runWorkflow(delivery, target: target, document: document, session: session,
                                              deadline: waits ? deadline : .now, timeout: timeout, noWait: noWait, display: display) {
                    waitFor.append(target)
                }
                continue
            }
            waitFor.append(target)
            guard waits else {
                _ = try await delivery.runWithoutGates(events: events)
                continue
            }
            if case .stopped(let step, let outcome) = try await delivery.run(deadline: deadline, events: events) {
                throw CLIFailure(Self.stoppedMessage(application: target.name, step: step, outcome, timeout: timeout))
            }
        }
        if !isDryRun { await revisions.record(display) }
        guard waits else { return }

        try await Self.waitForHealth(waitFor, session: session, deadline: deadline, timeout: timeout, display: display)
    }
}

extension UpCommand {
    /// Shows a delivery's events: objects as they are applied and pruned, and, when the
    /// application is delivered in several steps, each step as it starts and once it is healthy.
    static func present(isDryRun: Bool, steps: Int, on display: ProgressDisplay) -> @Sendable (DeliveryEvent) -> Void {
        let suffix = isDryRun ? " (server dry run)" : ""
        return { event in
            switch event {
            case .stepStarted(let step) where steps > 1: display.note("step \(step)\(suffix)")
            case .stepStarted: break
            case .applied(let reference, let action, _): display.note("\(reference.kubectlName) \(action.rawValue)\(suffix)")
            case .pruned(let reference, _): display.note("\(reference.kubectlName) pruned\(suffix)")
            case .health(_, let health): display.show(HealthText.progressLines(health))
            case .stepReady(let step): display.note("step \(step) is healthy after \(display.elapsed)")
            }
        }
    }

    /// Runs an application's workflow in the foreground and says how it ended; true when the
    /// application's health is to be followed (the workflow succeeded).
    static func runWorkflow(_ delivery: ApplicationDelivery, target: ApplicationTarget, document: JSONValue?, session: ClusterSession,
                            deadline: ContinuousClock.Instant, timeout: TimeSpan, noWait: Bool, display: ProgressDisplay) async throws -> Bool {
        let workflow = ForegroundWorkflow(delivery: delivery, parent: target.parent,
                                          providers: KubeWorkflowProviders(client: session.client, namespace: target.namespace),
                                          document: document)
        let outcome = try await workflow.run(deadline: deadline, events: present(isDryRun: false, steps: delivery.plan.steps.count, on: display),
                                             steps: presentWorkflow(on: display))
        return try report(outcome, target: target, timeout: timeout, noWait: noWait, display: display)
    }

    /// Follows the applications' health until each is healthy, fails, or the deadline passes.
    static func waitForHealth(_ targets: [ApplicationTarget], session: ClusterSession, deadline: ContinuousClock.Instant,
                              timeout: TimeSpan, display: ProgressDisplay) async throws {
        var failures: [String] = []
        for target in targets {
            let watch = HealthWatch(client: session.client, inventory: target.plan.inventory, namespace: target.namespace,
                                    applySet: target.plan.applySet)
            let remaining = max(.seconds(1), deadline - ContinuousClock.now)
            let outcome = try await watch.wait(timeout: remaining) { health in
                display.show(HealthText.progressLines(health))
            }
            let health = outcome.health
            switch outcome {
            case .healthy:
                let components = health.components.count
                display.note("application \(target.name) is healthy (\(components) component\(components == 1 ? "" : "s")) "
                    + "after \(display.elapsed)")
            case .failed:
                failures.append("application \(target.name) failed:\n  " + HealthText.problems(health).joined(separator: "\n  "))
            case .timedOut:
                failures.append("application \(target.name) is not healthy after \(timeout):\n  "
                    + HealthText.problems(health).joined(separator: "\n  "))
            }
        }
        if !failures.isEmpty { throw CLIFailure(failures.joined(separator: "\n")) }
    }

    /// Shows a workflow's steps as they start, wait, and finish.
    static func presentWorkflow(on display: ProgressDisplay) -> @Sendable (WorkflowEvent) -> Void {
        { event in
            switch event {
            case .started(let step, let type): display.note("step \(step) (\(type)) started")
            case .waiting(let step, let message): display.note("step \(step) waiting: \(message)")
            case .succeeded(let step): display.note("step \(step) succeeded")
            case .skipped(let step): display.note("step \(step) skipped")
            case .failed(let step, let message): display.note("step \(step) failed: \(message)")
            case .suspended(let step, let message): display.note("step \(step) suspended" + (message.isEmpty ? "" : ": \(message)"))
            case .finished(let phase): display.note("workflow \(phase.rawValue)")
            }
        }
    }

    /// Says how a workflow run ended; true when the application's health is to be followed
    /// (the workflow succeeded), false when it stopped at a suspend. Throws when it failed.
    static func report(_ outcome: ForegroundWorkflow.Outcome, target: ApplicationTarget, timeout: TimeSpan, noWait: Bool,
                       display: ProgressDisplay) throws -> Bool {
        let resume = "tandem workflow resume \(target.name) -n \(target.namespace)"
        switch outcome {
        case .succeeded:
            return true
        case .suspended(let status):
            let at = status.allSteps.first { $0.phase == .suspending }.map { " at step \($0.name)" } ?? ""
            display.note("application \(target.name): the workflow is suspended\(at); to continue: \(resume)")
            return false
        case .failed(let status):
            // A step that failed for good ends the workflow as terminated (as KubeVela does); only
            // `tandem workflow terminate` leaves no step failed in its own right.
            let failed = status.allSteps.filter { $0.phase == .failed && $0.subSteps.isEmpty && $0.reason != StepStatus.Reason.terminate }
                .map { "step \($0.name): \($0.message ?? $0.reason ?? "failed")" }
            let what = failed.isEmpty ? "was terminated" : "failed"
            throw CLIFailure("application \(target.name): the workflow \(what)" + (failed.isEmpty ? "" : ":\n  " + failed.joined(separator: "\n  "))
                + "\nto run it again: change the file, or tandem workflow restart \(target.name) -n \(target.namespace)")
        case .timedOut(let status):
            let waiting = status.allSteps.filter { $0.phase == .running && $0.subSteps.isEmpty }
                .map { "step \($0.name): \($0.message ?? "waiting")" }
            if noWait {
                display.note("application \(target.name): the workflow goes on at the next tandem up")
                return false
            }
            throw CLIFailure("application \(target.name): the workflow did not finish within \(timeout):\n  " + waiting.joined(separator: "\n  "))
        }
    }

    /// Why the delivery stopped at `step`, in words.
    static func stoppedMessage(application: String, step: String, _ outcome: HealthWatch.Outcome, timeout: TimeSpan) -> String {
        let problems = HealthText.problems(outcome.health).joined(separator: "\n  ")
        if case .failed = outcome { return "application \(application) failed at step \(step); later steps were not applied:\n  \(problems)" }
        return "application \(application) is not healthy at step \(step) after \(timeout); later steps were not applied:\n  \(problems)"
    }
}

enum DryRunMode: String, ExpressibleByArgument {
    case server

    init?(argument: String) {
        guard argument == "server" else { return nil }
        self = .server
    }

    static var allValueStrings: [String] { ["server"] }
}

extension CLIFailure {
    /// Errors of the cluster side as one message and exit code 2; exit codes pass through.
    static func from(_ error: any Error) -> any Error {
        switch error {
        case let failure as CLIFailure: return failure
        case let error as KubeError: return CLIFailure(error.description)
        case let error as DeployError: return CLIFailure(DeployAdvice.message(error))
        default: return error
        }
    }
}
