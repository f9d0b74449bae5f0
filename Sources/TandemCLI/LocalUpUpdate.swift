import Foundation
import TandemLocal
import TandemRendering

extension LocalUp {
    /// `up --local` of an application that runs already: updated in place, as `kubectl apply`
    /// updates one (`LocalUpdate`). Returns the plan the supervisor now carries out; nil for a
    /// dry run. A problem found before anything changes leaves the application as it runs.
    func update(_ application: RenderedApplication, running: LocalPlan, sources: ConfigSources, state: StateDirectory,
                podman: Podman, display: ProgressDisplay) async throws -> LocalPlan? {
        var translation = LocalTranslator.Options(publish: options.publish, runCronJobs: options.runCronJobs)
        let title = LocalText.title(running)
        func translate() throws -> LocalPlan {
            switch LocalTranslator(options: translation).translate(application, sources: sources) {
            case .success(let plan): return plan
            case .failure(let failure): throw Self.updateFailure(title, failure.problems)
            }
        }
        translation.revisions = LocalUpdate.revisions(running: running, wanted: try translate())
        let plan = LocalUpdate.merge(running: running, wanted: try translate())
        let found = await LocalPreflight(podman: podman).check(plan, state: state, updating: running)
        if !found.isEmpty { throw Self.updateFailure(title, found) }
        for note in plan.notes { Output.standardError("tandem: note: \(note)\n") }
        let changes = LocalText.changes(running: running, plan: plan)
        if dryRun {
            Output.standardOutput("application \(title) runs; an update would: \(changes)\n" + LocalText.dryRun(plan))
            return nil
        }
        display.note("application \(title) runs; updating it in place: \(changes)")
        do {
            try await LocalLauncher(podman: podman, state: state).update(running: running, to: plan)
        } catch let problem as LocalProblem {
            throw Self.updateFailure(title, [problem])
        } catch {
            throw CLIFailure("application \(title) cannot be updated; it runs on as it was: \(error)")
        }
        return plan
    }

    static func updateFailure(_ application: String, _ problems: [LocalProblem]) -> CLIFailure {
        CLIFailure("application \(application) cannot be updated; it runs on as it was:\n  "
            + problems.map { LocalAdvice.describe($0).replacingOccurrences(of: "\n", with: "\n  ") }.joined(separator: "\n  "))
    }
}
