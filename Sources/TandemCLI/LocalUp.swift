import ArgumentParser
import Foundation
import TandemDeploy
import TandemLocal
import TandemRendering

/// `tandem up --local`: renders, checks everything podman will need, creates the pods, starts
/// the supervisor that runs them, waits until they are ready, then streams their logs until
/// Ctrl-C, which stops and removes everything (`-d` returns once ready instead).
struct LocalUp {
    var input: InputOptions
    var options: LocalUpOptions
    var timeout: TimeSpan
    /// `--dry-run`: print what would be created in podman, create nothing.
    var dryRun = false
    /// `--no-wait`: return once everything is created and started, without waiting for ready.
    var noWait = false

    func run() async throws {
        let podman = try Self.podman()
        let result = input.run { $0 }
        guard !result.hasErrors else {
            if input.diagnosticsFormat == .text {
                Output.standardError("tandem: \(Output.count(result.errorCount, result.warningCount)); nothing was started\n")
            }
            throw ExitCode(1)
        }
        var extra = ConfigSources()
        var problems: [String] = []
        for file in options.with {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CLIFailure("\(file): cannot be read (--with): \(CLIFailure.reason(error))")
            }
            let diagnostics = WithFiles.add([UInt8](data), file: file, to: &extra)
            Output.printDiagnostics(diagnostics, format: input.diagnosticsFormat)
            if diagnostics.contains(where: \.isError) { problems.append(file) }
        }
        if !problems.isEmpty { throw ExitCode(1) }

        let interrupt = Interruption()
        var started: [(LocalPlan, StateDirectory)] = []
        var supervisors: [SupervisorProcess] = []
        /// Applications that ran already and were updated in place: a failure leaves them running.
        var updated: [(LocalPlan, StateDirectory)] = []
        let display = ProgressDisplay()
        do {
            for application in result.outputs.flatMap(NamespaceSplit.split) {
                var sources = LocalTranslator.sources(of: application)
                for source in extra.all { sources.merge(source) }
                let translator = LocalTranslator(options: .init(publish: options.publish, runCronJobs: options.runCronJobs))
                let plan: LocalPlan
                switch translator.translate(application, sources: sources) {
                case .success(let made): plan = made
                case .failure(let failure): throw Self.failure(application.name, failure.problems)
                }
                guard !plan.pods.isEmpty else {
                    // Nothing would run (a cron-task without --run-cronjobs): say so rather than wait on nothing.
                    throw CLIFailure("application \(LocalText.title(plan)) has nothing to run locally; nothing was started"
                        + plan.notes.map { "\n  \($0)" }.joined()
                        + (plan.notes.contains { $0.hasPrefix("cronjob/") } ? "\n  hint: tandem up --local --run-cronjobs runs each CronJob once, now" : ""))
                }
                let state = StateDirectory(application: plan.key)
                if state.runningSupervisor() != nil, let running = try? state.readPlan() {
                    if let next = try await update(application, running: running, sources: sources, state: state, podman: podman, display: display) {
                        updated.append((next, state))
                    }
                    continue
                }
                let found = await LocalPreflight(podman: podman).check(plan, state: state)
                if !found.isEmpty { throw Self.failure(LocalText.title(plan), found) }
                for note in plan.notes { Output.standardError("tandem: note: \(note)\n") }
                if dryRun {
                    Output.standardOutput(LocalText.dryRun(plan))
                    continue
                }
                let launcher = LocalLauncher(podman: podman, state: state)
                display.note("application \(LocalText.title(plan)): creating \(plan.pods.count) pod\(plan.pods.count == 1 ? "" : "s") in podman")
                do {
                    try await launcher.launch(plan)
                } catch let problem as LocalProblem {
                    throw Self.failure(LocalText.title(plan), [problem])
                } catch let error as PodmanError {
                    throw CLIFailure("application \(LocalText.title(plan)) cannot run locally; nothing was left behind: \(error)")
                }
                started.append((plan, state))
                do {
                    supervisors.append(try launcher.spawnSupervisor(executable: Self.executable))
                } catch {
                    throw CLIFailure("application \(LocalText.title(plan)): cannot start its supervisor (\(error)); everything was removed")
                }
            }
            if dryRun || noWait {
                for (plan, _) in started {
                    display.note("application \(LocalText.title(plan)) was created and is starting; see it with tandem status --local \(LocalText.arguments(plan))")
                }
                for (plan, _) in updated {
                    display.note("application \(LocalText.title(plan)) is being updated in place; see it with tandem status --local \(LocalText.arguments(plan))")
                }
                return
            }
            try await waitUntilReady(zip(started, supervisors).map { application, supervisor in (application, { supervisor.ended }) },
                                     display: display, interrupt: interrupt)
        } catch {
            // The supervisors this run started go first, by their process ids: nothing outlives a failed up.
            for supervisor in supervisors { supervisor.stop() }
            await Self.removeAll(started, podman: podman)
            if interrupt.happened { throw ExitCode(130) }
            throw error
        }
        // An update is carried out by the supervisor that runs the application: it did not end with it.
        try await waitUntilReady(updated.map { plan, state in
            ((plan, state), { state.runningSupervisor() == nil ? "has ended" : nil })
        }, display: display, interrupt: interrupt)
        if started.isEmpty { return }
        if options.detach {
            for (plan, _) in started {
                let arguments = LocalText.arguments(plan)
                display.note("application \(LocalText.title(plan)) is running locally; "
                    + "see it with tandem status --local \(arguments), tandem logs --local \(arguments) -f; "
                    + "stop it with tandem down --local \(arguments)")
            }
            return
        }
        try await streamLogs(started, podman: podman, interrupt: interrupt)
    }

    /// Follows each application's status until all are healthy; a failure or the timeout ends
    /// it with what is wrong and the last lines of what failed.
    /// `supervisorEnded` says how the application's supervisor ended, or nil while it runs.
    private func waitUntilReady(_ started: [((LocalPlan, StateDirectory), supervisorEnded: () -> String?)],
                                display: ProgressDisplay, interrupt: Interruption) async throws {
        let deadline = ContinuousClock.now + timeout.duration
        for ((plan, state), supervisor) in started {
            var last: [String] = []
            while true {
                if interrupt.happened { throw ExitCode(130) }
                if let status = LocalStatus.read(state) {
                    let lines = HealthText.progressLines(status.health)
                    if lines != last {
                        display.show(lines)
                        last = lines
                    }
                    if status.health.isHealthy, status.hasRolledOut(plan) {
                        try await settle(plan, state, supervisor, interrupt: interrupt)
                        display.note("application \(LocalText.title(plan)) is ready (\(plan.pods.count) pod\(plan.pods.count == 1 ? "" : "s")) "
                            + "after \(display.elapsed)")
                        break
                    }
                    if status.health.hasFailed {
                        throw CLIFailure("application \(LocalText.title(plan)) failed:\n  "
                            + HealthText.problems(status.health).joined(separator: "\n  ") + LocalText.lastLogLines(plan, state, status.health))
                    }
                }
                if let ending = supervisor() {
                    let log = ((try? String(contentsOfFile: state.supervisorLog, encoding: .utf8)) ?? "")
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                    throw CLIFailure("the supervisor of application \(LocalText.title(plan)) \(ending) before the application was ready"
                        + (log.isEmpty ? "; it wrote nothing to its log" : ":\n  " + log.suffix(2000).replacingOccurrences(of: "\n", with: "\n  ")))
                }
                if ContinuousClock.now >= deadline {
                    let health = LocalStatus.read(state)?.health
                    throw CLIFailure("application \(LocalText.title(plan)) is not ready after \(timeout)"
                        + (health.map { ":\n  " + HealthText.problems($0).joined(separator: "\n  ") + LocalText.lastLogLines(plan, state, $0) } ?? ""))
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Watches a ready application for its settle window: a container that exits or restarts
    /// in it fails `up` with how it ended and its last lines.
    private func settle(_ plan: LocalPlan, _ state: StateDirectory, _ supervisor: () -> String?, interrupt: Interruption) async throws {
        let end = ContinuousClock.now + SettleWindow(plan).length
        while true {
            if interrupt.happened { throw ExitCode(130) }
            if let ending = supervisor() {
                throw CLIFailure("the supervisor of application \(LocalText.title(plan)) \(ending) before the application was ready")
            }
            if let health = LocalStatus.read(state)?.health {
                let unsettled = SettleWindow.unsettled(health)
                if !unsettled.isEmpty || health.hasFailed {
                    throw CLIFailure("application \(LocalText.title(plan)) is not ready: "
                        + (unsettled.map(SettleWindow.describe) + HealthText.problems(health)).joined(separator: "\n  ")
                        + LocalText.lastLogLines(plan, state, health, including: unsettled))
                }
            }
            if ContinuousClock.now >= end { return }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Prints every container's lines, prefixed `component/container |`, until Ctrl-C or until
    /// nothing is left running (every workload a finished Job); then removes everything.
    private func streamLogs(_ started: [(LocalPlan, StateDirectory)], podman: Podman, interrupt: Interruption) async throws {
        let sources = started.flatMap { LogFiles.sources($0.0, state: $0.1) }
        let width = sources.map(\.prefix.count).max() ?? 0
        let follower = LogFollower(sources: sources, fromEnd: false)
        Output.standardOutput("streaming logs; Ctrl-C stops and removes the application\n")
        var failed = false
        var restartsSeen: [String: Int] = [:]
        while !interrupt.happened {
            for (source, line) in follower.poll() {
                Output.standardOutput(source.prefix.padding(toLength: width, withPad: " ", startingAt: 0) + " | " + line.text + "\n")
            }
            let statuses = started.compactMap { LocalStatus.read($0.1) }
            // A restart is news even when the container's own lines do not say it.
            for status in statuses {
                for container in status.health.components.flatMap(\.containers) {
                    let key = "\(status.health.application)/\(container.pod)/\(container.name)"
                    guard container.restarts > restartsSeen[key, default: 0] else { continue }
                    restartsSeen[key] = container.restarts
                    let now = container.state == "waiting" ? container.reason.map { "; now \($0)" } ?? "" : ""
                    Output.standardOutput("tandem: application \(status.health.application): \(SettleWindow.describe(container))\(now)\n")
                }
            }
            if statuses.count == started.count, statuses.allSatisfy(\.isFinished) {
                failed = statuses.contains { $0.health.hasFailed }
                break
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        for (source, line) in follower.poll() {
            Output.standardOutput(source.prefix.padding(toLength: width, withPad: " ", startingAt: 0) + " | " + line.text + "\n")
        }
        await Self.removeAll(started, podman: podman)
        for (plan, _) in started { Output.standardOutput("application \(LocalText.title(plan)) stopped and removed\n") }
        if interrupt.happened { throw ExitCode(130) }
        if failed { throw CLIFailure("a Job of the application failed") }
    }

    static func removeAll(_ started: [(LocalPlan, StateDirectory)], podman: Podman) async {
        for (plan, state) in started {
            let grace = plan.pods.map(\.terminationGracePeriodSeconds).max() ?? 0
            await LocalCleaner(podman: podman).remove(application: plan.key, state: state, keepVolumes: false,
                                                      keepReusedVolumes: true, gracePeriodSeconds: min(grace, 10))
        }
    }

    static func podman() throws -> Podman {
        switch Podman.locate() {
        case .success(let podman): return podman
        case .failure(let problem): throw CLIFailure(LocalAdvice.describe(problem))
        }
    }

    static func failure(_ application: String, _ problems: [LocalProblem]) -> CLIFailure {
        CLIFailure("application \(application) cannot run locally; nothing was started:\n  "
            + problems.map { LocalAdvice.describe($0).replacingOccurrences(of: "\n", with: "\n  ") }.joined(separator: "\n  "))
    }

    /// This very program, run again as the supervisor and as network probes.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// Ctrl-C (and SIGTERM, and a closed terminal's SIGHUP) while `up --local` runs: noted, so that what was started is removed.
final class Interruption: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.set() }
            source.resume()
            sources.append(source)
        }
    }

    private func set() {
        lock.withLock { flag = true }
    }

    var happened: Bool { lock.withLock { flag } }
}
