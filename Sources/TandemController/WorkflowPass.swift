import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization
import TandemDeploy
import TandemJSON
import TandemWorkflow

/// The steps of each Application's plan already applied by earlier passes, so that a pass that
/// only waits for health (most passes while a workflow runs) applies nothing again.
final class AppliedWorkflowSteps: Sendable {
    private let steps = Mutex<[ApplicationKey: (plan: String, steps: Set<String>)]>([:])

    func steps(_ key: ApplicationKey, plan: String) -> Set<String> {
        steps.withLock { $0[key].flatMap { $0.plan == plan ? $0.steps : nil } ?? [] }
    }

    func record(_ key: ApplicationKey, plan: String, steps applied: Set<String>) {
        steps.withLock { $0[key] = applied.isEmpty ? nil : (plan, applied) }
    }
}

extension Reconciler {
    /// One pass of an Application with a workflow: goes on from `status.workflow` (state is only
    /// in the cluster, so a restarted or newly elected controller goes on where the last one
    /// stopped), records where it stands, and comes back when the engine asks. Once the
    /// workflow succeeded for this spec, passes only judge health, as for any Application.
    /// `revision` is the name of the ApplicationRevision being delivered (`APP-vN`), as KubeVela
    /// writes it in `status.workflow.appRevision`: a new revision (a spec or definition change)
    /// starts the workflow again.
    func runWorkflow(_ key: ApplicationKey, _ application: KubeObject, plan: DeployPlan, revision: String, state: inout AppliedState,
                     kinds: Set<GroupKind>, parent: ApplicationParent, logger: Logger) async throws -> Outcome {
        let recorded = application.json[path: ["status", "workflow"]]
        var status = WorkflowStatus()
        status.appRevision = revision
        if let recorded, recorded["appRevision"]?.string == revision {
            if recorded["status"]?.string == WorkflowStatus.Phase.succeeded.rawValue {
                // Done for this spec: nothing to run, nothing to apply; health as usual.
                state.workflow = recorded
                applied.withLock { $0[key] = state }
                return try await report(key, application, state)
            }
            status = try await ApplicationWorkflowState.read(application, client: client)
        }
        if status.isFinished {
            return try await writeWorkflowStatus(key, application, status, plan: plan, latestRevision: state.latestRevision, objects: [:],
                                                 logger: logger)
        }

        await watch(kinds)
        let set = plan.applySet
        let cached = owned.isSynced(Array(kinds)) ? owned.members(of: set.id) : nil
        let deployer = Deployer(client: client, options: DeployOptions(concurrency: 4, dryRunMembers: false))
        let delivery = ApplicationDelivery(plan: DeliveryPlan(plan), parent: parent, deployer: deployer)
        let prepared: Deployer.Prepared
        do {
            prepared = try await delivery.prepare(members: cached)
        } catch let error as DeployError {
            return try await applyFailed(key, application, error)
        }
        let digest = Self.digest(plan)
        let live = cached ?? prepared.members
        let pods = owned.pods(namespace: key.namespace, application: key.name)
        let warningEvents = warnings.events(namespace: key.namespace)
        let namespace = key.namespace
        let host = DeliveryHost(
            providers: KubeWorkflowProviders(client: client, namespace: key.namespace), delivery: delivery, prepared: prepared,
            check: .look { inventory, applied in
                ApplicationHealth.assess(inventory, namespace: namespace, objects: live.merging(applied) { _, new in new }, pods: pods,
                                         events: warningEvents)
            },
            applied: appliedWorkflowSteps.steps(key, plan: digest))
        let engine = WorkflowEngine(workflow: Workflow(plan.application), application: plan.application, host: host)
        let previousContext = status.context
        let name = key.description
        status = await engine.advance(status, now: Date()) { event in
            logger.info("workflow", metadata: ["application": "\(name)", "event": "\(event)"])
        }
        appliedWorkflowSteps.record(key, plan: digest, steps: host.appliedSteps)
        if status.context != previousContext {
            try await ApplicationWorkflowState.writeContext(status.context, application: key.name, namespace: key.namespace, client: client)
        }
        var objects = live.merging(host.applied) { _, new in new }
        if status.phase == .succeeded {
            let pruned = try await delivery.complete(prepared)
            for reference in pruned { objects[reference] = nil }
            state.workflow = workflowJSON(status, key)
            applied.withLock { $0[key] = state }
            appliedWorkflowSteps.record(key, plan: digest, steps: [])
            return try await report(key, application, state, live: objects)
        }
        return try await writeWorkflowStatus(key, application, status, plan: plan, latestRevision: state.latestRevision, objects: objects,
                                             logger: logger)
    }

    func workflowJSON(_ status: WorkflowStatus, _ key: ApplicationKey) -> JSONValue {
        ApplicationWorkflowState.json(status, application: key.name, namespace: key.namespace)
    }

    /// The status of an Application whose workflow runs or stopped: KubeVela's phase for it,
    /// the services' health so far, and the workflow. Comes back when the engine asks.
    /// `latestRevision`: the revision the workflow delivers, which KubeVela says from the start.
    private func writeWorkflowStatus(_ key: ApplicationKey, _ application: KubeObject, _ status: WorkflowStatus, plan: DeployPlan,
                                     latestRevision: JSONValue?, objects: [ObjectReference: KubeObject], logger: Logger) async throws -> Outcome {
        let phase: ApplicationStatus.Phase
        switch status.phase {
        case .suspending: phase = .workflowSuspending
        case .failed: phase = .workflowFailed
        case .terminated: phase = .workflowTerminated
        default: phase = .runningWorkflow
        }
        let health = ApplicationHealth.assess(plan.inventory, namespace: key.namespace, objects: objects,
                                              pods: owned.pods(namespace: key.namespace, application: key.name),
                                              events: warnings.events(namespace: key.namespace))
        let failed = status.allSteps.first { $0.phase == .failed && $0.subSteps.isEmpty }
        let message = failed.map { "step \($0.name): \($0.message ?? $0.reason ?? "failed")" } ?? status.message ?? ""
        var written = ApplicationStatus.status(
            phase: phase, generation: application.json[path: ["metadata", "generation"]]?.int, health: health,
            traits: Self.traits(plan.application.application, plan.inventory),
            conditions: [.init(type: "Parsed", ok: true, reason: "Parsed", message: ""),
                         .init(type: "WorkflowFinished", ok: status.isFinished, reason: status.phase.rawValue, message: message)],
            previous: application.json["status"], workflow: workflowJSON(status, key))
        written["latestRevision"] = latestRevision
        _ = try await write(written, key, application)
        guard let next = status.nextCheck else { return .done }
        return .later(.milliseconds(max(1000, Int(next.timeIntervalSinceNow * 1000))))
    }

    private func applyFailed(_ key: ApplicationKey, _ application: KubeObject, _ error: DeployError) async throws -> Outcome {
        let message = ControllerAdvice.message(error)
        let status = ApplicationStatus.status(
            phase: .failed, generation: application.json[path: ["metadata", "generation"]]?.int, health: nil, traits: nil,
            conditions: [.init(type: "Parsed", ok: true, reason: "Parsed", message: ""),
                         .init(type: "Applied", ok: false, reason: "ApplyFailed", message: message)],
            previous: application.json["status"], workflow: application.json[path: ["status", "workflow"]])
        if try await write(status, key, application) {
            await events.warning(key, uid: application.uid, reason: "ApplyFailed", message: message)
        }
        return .retry(error.description)
    }
}
