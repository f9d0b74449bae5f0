import Foundation
import KubeClient
import KubeModel
import TandemJSON
import TandemKubeVela
import TandemWorkflow

/// An application's workflow run in the foreground, as `tandem up` runs it without a
/// controller: from the state recorded in the ApplySet parent (when it was recorded for the same
/// spec), step after step, waiting for each deploy step's objects to be healthy, until the
/// workflow ends, stops at a suspend, or `deadline` passes. The state is recorded after every
/// advance, so that the next `tandem up` or `tandem workflow resume` goes on from there.
/// Prunes once the workflow succeeded.
public struct ForegroundWorkflow: Sendable {
    public var delivery: ApplicationDelivery
    public var parent: SecretParent
    public var providers: any WorkflowProviders
    /// The Application document, recorded with the state (see `WorkflowRecord.application`).
    public var document: JSONValue?

    public init(delivery: ApplicationDelivery, parent: SecretParent, providers: any WorkflowProviders, document: JSONValue? = nil) {
        self.delivery = delivery
        self.parent = parent
        self.providers = providers
        self.document = document
    }

    /// How a run ended.
    public enum Outcome: Sendable {
        /// The workflow succeeded; what it no longer delivers was pruned.
        case succeeded(WorkflowStatus)
        /// It stopped at a suspend (a step, or `tandem workflow suspend`); nothing was pruned.
        case suspended(WorkflowStatus)
        /// A step failed, or the workflow was terminated.
        case failed(WorkflowStatus)
        /// A step was still waiting (its objects not healthy) when the deadline passed.
        case timedOut(WorkflowStatus)
    }

    /// Runs the workflow from where it stands. `events` hears the deliveries (objects applied,
    /// health), `steps` the workflow's own progress.
    public func run(deadline: ContinuousClock.Instant, events: @escaping @Sendable (DeliveryEvent) -> Void,
                    steps: @escaping @Sendable (WorkflowEvent) -> Void) async throws -> Outcome {
        let client = delivery.deployer.client
        let prepared = try await delivery.prepare()
        let spec = delivery.plan.specDigest
        var status = WorkflowStatus()
        let record = try await parent.readWorkflow(client)
        if let record, record.spec == spec {
            status = try WorkflowStatus(json: record.status, context: record.outputs)
        }
        let document = self.document ?? record?.application
        if status.phase == .succeeded {
            // Done before for this very spec: the objects are applied again (they may have
            // drifted), the workflow's steps are not run again.
            _ = try await delivery.runWithoutGates(members: prepared.members, events: events)
            return .succeeded(status)
        }
        let host = DeliveryHost(providers: providers, delivery: delivery, prepared: prepared, check: .wait(until: deadline), events: events)
        let engine = WorkflowEngine(workflow: Workflow(delivery.plan.deploy.application), application: delivery.plan.deploy.application,
                                    host: host)
        while true {
            let before = status
            status = await engine.advance(status, now: Date(), events: steps)
            if status != before || status.isFinished {
                try await parent.writeWorkflow(WorkflowRecord(status: status.json, outputs: status.context, spec: spec,
                                                                application: document), client: client)
            }
            switch status.phase {
            case .succeeded:
                _ = try await delivery.complete(prepared, events: events)
                return .succeeded(status)
            case .failed, .terminated:
                return .failed(status)
            case .suspending where status.nextCheck == nil:
                return .suspended(status)
            default:
                break
            }
            // Running or suspended for a while: come back when the engine asks (a suspend's
            // duration, a retry's back-off), unless the deadline comes first.
            guard let next = status.nextCheck else { return .timedOut(status) }
            let wait = Duration.seconds(max(0, next.timeIntervalSinceNow))
            guard ContinuousClock.now + wait < deadline else { return .timedOut(status) }
            try await Task.sleep(for: wait)
        }
    }
}
