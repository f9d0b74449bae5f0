import Crypto
import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization
import TandemDeploy
import TandemJSON
import TandemModel
import TandemRendering

/// One pass over one Application, level-based: whatever happened before, bring the cluster to
/// what the Application says now. Renders it; applies only when the rendering changed since
/// the last successful apply (or an object it owns went missing); prunes; assesses health from
/// the watch caches; writes the status only when it changed. On deletion, deletes what the
/// Application owns, then lets the Application go (its finalizer).
struct Reconciler: Sendable {
    enum Outcome: Sendable, Equatable {
        /// Done; nothing to retry (an invalid Application waits for its next change).
        case done
        /// Failed for a reason that may pass: try again after a back-off.
        case retry(String)
        /// Done for now; look again after this long (a rollout's progress waits to be written).
        case later(Duration)
    }

    var client: KubeClient
    var applications: ApplicationCache
    var owned: OwnedObjects
    var pipeline: RenderPipeline
    /// The cluster's definitions: each Application renders with its namespace's registry.
    var definitions: DefinitionStore
    var events: EventRecorder
    /// The namespaces' recent Warning events, for health.
    var warnings: WarningEvents
    var tooling: String
    /// Starts watching kinds into `owned`; until a kind's first list is in, its members are listed.
    var watch: @Sendable (Set<GroupKind>) async -> Void
    var logger: Logger
    /// What was last applied for each Application, to apply only what changed.
    let applied: AppliedStates
    let pacing: StatusPacing
    /// How many revisions of each Application are kept.
    var revisionLimit = RevisionStore.defaultHistoryLimit
    /// The workflow steps each Application's passes have applied.
    let appliedWorkflowSteps = AppliedWorkflowSteps()

    init(client: KubeClient, applications: ApplicationCache, owned: OwnedObjects, pipeline: RenderPipeline,
         definitions: DefinitionStore, events: EventRecorder,
         warnings: WarningEvents, tooling: String, watch: @escaping @Sendable (Set<GroupKind>) async -> Void, applied: AppliedStates, pacing: StatusPacing,
         logger: Logger) {
        self.applied = applied
        self.pacing = pacing
        self.client = client
        self.applications = applications
        self.owned = owned
        self.pipeline = pipeline
        self.definitions = definitions
        self.events = events
        self.warnings = warnings
        self.tooling = tooling
        self.watch = watch
        self.logger = logger
    }

    func reconcile(_ key: ApplicationKey) async -> Outcome {
        var logger = self.logger
        logger[metadataKey: "application"] = "\(key)"
        guard let (application, applicationBody) = applications.entry(key) else {
            applied.withLock { $0[key] = nil }
            pacing.forget(key)
            return .done
        }
        // A changed definition renders the Application again, as a changed body does.
        let fingerprint = definitions.fingerprint(for: key.namespace)
        let body = fingerprint.isEmpty ? applicationBody : applicationBody + CompactObject.digest(.string(fingerprint))
        let parent = ApplicationParent(key: key, cache: applications, tooling: tooling)
        do {
            if application.json[path: ["metadata", "deletionTimestamp"]] != nil {
                try await finalize(key, application, parent: parent, logger: logger)
                return .done
            }
            // Unchanged since it was applied: its pods or workload moved; health and status only.
            // A workflow that succeeded stays done until the spec changes or someone restarts it
            // (`tandem workflow restart` drops status.workflow).
            if let known = applied.withLock({ $0[key] }), known.body == body,
               known.workflow == nil || known.workflow == application.json[path: ["status", "workflow"]] {
                return try await report(key, application, known)
            }
            return try await deploy(key, application, body: body, parent: parent, logger: logger)
        } catch {
            logger.warning("reconcile failed", metadata: ["error": "\(error)"])
            if let error = error as? KubeError, error.isConflict { await refresh(key) }
            return .retry("\(error)")
        }
    }

    /// After a conflict the cached Application may be behind the server (its resourceVersion
    /// is the precondition of the controller's writes): read it again rather than wait for a
    /// watch event that may never come.
    private func refresh(_ key: ApplicationKey) async {
        guard let object = try? await client.get(key.reference) else { return }
        applications.refresh(Trimming.application(object))
    }

    private func deploy(_ key: ApplicationKey, _ application: KubeObject, body: [UInt8], parent: ApplicationParent,
                        logger: Logger) async throws -> Outcome {
        let generation = application.json[path: ["metadata", "generation"]]?.int
        let previous = application.json["status"]
        let (registry, definitionProblems) = definitions.registry(for: key.namespace, application: application)
        var pipeline = self.pipeline
        pipeline.registry = registry
        let revision = try await RevisionStore.open(client: client, application: key.name, namespace: key.namespace, owner: application,
                                                  historyLimit: revisionLimit)
            .next(for: RevisionContent(application: application.json, namespace: key.namespace, registry: registry),
                  latest: application.json[path: ["status", "latestRevision"]])
        pipeline.options.appRevisionNumber = revision.number
        var (rendered, diagnostics) = pipeline.render(json: application.json)
        if !definitionProblems.isEmpty { (rendered, diagnostics) = (nil, definitionProblems + diagnostics) }
        guard let rendered else {
            let message = diagnostics.filter(\.isError).map(\.description).joined(separator: "\n")
            logger.info("invalid application", metadata: ["problems": "\(diagnostics.filter(\.isError).count)"])
            let status = ApplicationStatus.status(
                phase: .failed, generation: generation, health: nil, traits: nil,
                conditions: [.init(type: "Parsed", ok: false, reason: "InvalidApplication", message: message)], previous: previous)
            if try await write(status, key, application) {
                await events.warning(key, uid: application.uid, reason: "InvalidApplication", message: message)
            }
            applied.withLock { $0[key] = nil }
            return .done
        }

        let set = ApplySet(parent: key.reference)
        var scopes: [GroupKind: Bool] = [:]
        for object in rendered.objects where scopes[object.object.gvk.groupKind] == nil {
            scopes[object.object.gvk.groupKind] = try await client.resource(for: object.object.gvk).namespaced
        }
        let plan = DeployPlan(application: rendered, namespace: key.namespace, applySet: set) { scopes[$0] ?? true }
        let digest = Self.digest(plan)
        let record = try await parent.read(client)?.record ?? ApplySetRecord()
        let kinds = record.union(plan.record).groupKinds
        var state = AppliedState(body: body, plan: digest, inventory: plan.inventory, kinds: plan.record.groupKinds,
                                 traits: Self.traits(rendered.application, plan.inventory))
        // With topology policies and no workflow, KubeVela's default workflow delivers one
        // environment after another (a deploy step per policy, each waiting for the previous
        // to be healthy), as `tandem up` does; the workflow engine runs those made-up steps.
        if !rendered.application.workflow.isEmpty || rendered.application.policies.contains(where: { $0.type == "topology" }) {
            // As KubeVela, the revision is recorded when its workflow starts.
            state.latestRevision = try await revision.record().latestRevisionStatus
            return try await runWorkflow(key, application, plan: plan, revision: revision.revision.name, state: &state, kinds: kinds,
                                         parent: parent, logger: logger)
        }
        // An owned object deleted behind the controller's back clears the applied state (see
        // `Controller.watch`), so that it is applied again.
        guard applied.withLock({ $0[key]?.plan }) != digest else {
            state.latestRevision = try await revision.record().latestRevisionStatus
            applied.withLock { $0[key] = state }
            return try await report(key, application, state)
        }
        await watch(kinds)
        let cached = owned.isSynced(Array(kinds)) ? owned.members(of: set.id) : nil
        let outcome: Deployer.Outcome
        do {
            outcome = try await deployTakingOver(plan, key: key, parent: parent, members: cached, logger: logger)
        } catch let error as DeployError {
            let message = ControllerAdvice.message(error)
            let status = ApplicationStatus.status(
                phase: .failed, generation: generation, health: nil, traits: nil,
                conditions: [.init(type: "Parsed", ok: true, reason: "Parsed", message: ""),
                             .init(type: "Applied", ok: false, reason: "ApplyFailed", message: message)],
                previous: previous)
            if try await write(status, key, application) {
                await events.warning(key, uid: application.uid, reason: "ApplyFailed", message: message)
            }
            return .retry(error.description)
        }
        var live = cached ?? [:]
        for (reference, object) in outcome.applied { live[reference] = object }
        for (reference, action) in outcome.actions where action == .pruned { live[reference] = nil }
        state.latestRevision = try await revision.record().latestRevisionStatus
        applied.withLock { $0[key] = state }
        logger.info("applied", metadata: ["objects": "\(plan.items.count)",
                                          "changed": "\(outcome.actions.filter { $0.action != .unchanged }.count)"])
        return try await report(key, application, state, live: live)
    }

    /// Deploys `plan`, taking over what the command line left: the objects of the set `tandem
    /// up` kept for the same application, and fields owned by `tandem` (the command line's
    /// manager, which controllers before this one wrote as too). One application has one
    /// manager: `tandem up` refuses an application the controller manages.
    private func deployTakingOver(_ plan: DeployPlan, key: ApplicationKey, parent: ApplicationParent,
                                  members: [ObjectReference: KubeObject]?, logger: Logger) async throws -> Deployer.Outcome {
        var deployer = Deployer(client: client, options: DeployOptions(concurrency: 4, dryRunMembers: false))
        var tookOverSet = false
        while true {
            do {
                // Level-based: every step is applied on each pass; the controller judges health
                // from its watch caches afterwards instead of waiting between steps.
                let delivery = ApplicationDelivery(plan: DeliveryPlan(plan), parent: parent, deployer: deployer)
                let outcome = try await delivery.runWithoutGates(members: members)
                if tookOverSet { _ = try? await client.delete(Self.commandLineSet(key).parent) }
                return outcome
            } catch DeployError.foreignObjects(let objects)
                where !deployer.options.takeOver && objects.allSatisfy({ $0.applySet == Self.commandLineSet(key).id }) {
                deployer.options.takeOver = true
                tookOverSet = true
                logger.info("taking the application over from tandem up", metadata: ["objects": "\(objects.count)"])
            } catch let error as DeployError
                where !deployer.options.forceConflicts && error.conflictingManagers == [Self.commandLineManager] {
                deployer.options.forceConflicts = true
                logger.info("taking fields over from the field manager \(Self.commandLineManager)")
            }
        }
    }

    /// The field manager of `tandem up`.
    static let commandLineManager = "tandem"

    /// Assesses health from the watch caches (or `live`, the objects just applied) and writes
    /// the status when it changed, pacing a rollout's progress.
    func report(_ key: ApplicationKey, _ application: KubeObject, _ state: AppliedState,
                        live: [ObjectReference: KubeObject]? = nil) async throws -> Outcome {
        let previous = application.json["status"]
        let set = ApplySet(parent: key.reference)
        let objects: [ObjectReference: KubeObject]
        if let live {
            objects = live
        } else if owned.isSynced(Array(state.kinds)) {
            objects = owned.members(of: set.id)
        } else {
            let references = state.inventory.references
            let record = ApplySetRecord(groupKinds: Set(references.map(\.gvk.groupKind)),
                                        additionalNamespaces: Set(references.compactMap(\.namespace)))
            objects = try await MemberListing(client: client, set: set).members(of: record, parentNamespace: key.namespace)
        }
        var judged = objects
        // What a read-only policy selects is no member, nor is a shared object another owns: no watch cache holds them.
        for reference in state.inventory.namedReferences where judged[reference] == nil {
            judged[reference] = try await client.get(reference)
        }
        let health = ApplicationHealth.assess(state.inventory, namespace: key.namespace, objects: judged,
                                              pods: owned.pods(namespace: key.namespace, application: key.name),
                                              events: warnings.events(namespace: key.namespace))
        let ready = health.isHealthy
        var status = ApplicationStatus.status(
            phase: ready ? .running : .unhealthy, generation: application.json[path: ["metadata", "generation"]]?.int,
            health: health, traits: state.traits,
            conditions: [.init(type: "Parsed", ok: true, reason: "Parsed", message: ""),
                         .init(type: "Applied", ok: true, reason: "Applied", message: ""),
                         .init(type: "Ready", ok: ready, reason: ready ? "Healthy" : "Unhealthy",
                               message: ready ? "" : HealthSummary.problems(health).joined(separator: "; "))],
            previous: previous, workflow: state.workflow)
        status["latestRevision"] = state.latestRevision
        if !ApplicationStatus.same(status, previous),
           let wait = pacing.delay(key, previousPhase: previous?["status"]?.string, newPhase: ready ? .running : .unhealthy,
                                   failing: health.components.contains { $0.verdict.status == .failed }) {
            return .later(wait)
        }
        _ = try await write(status, key, application)
        // No watch follows them: look again until it is healthy.
        return !ready && !state.inventory.namedReferences.isEmpty ? .later(.seconds(5)) : .done
    }

    /// Writes `status` when it differs from what the Application has; true when written.
    func write(_ status: JSONValue, _ key: ApplicationKey, _ application: KubeObject) async throws -> Bool {
        var status = status
        // A failure keeps the revision last applied in the status, as KubeVela does.
        if status["latestRevision"] == nil { status["latestRevision"] = application.json[path: ["status", "latestRevision"]] }
        guard !ApplicationStatus.same(status, application.json["status"]) else { return false }
        let resource = try await client.resource(for: ApplicationKey.gvk)
        let request = KubeRequest(.patch, resource.path(namespace: key.namespace, name: key.name) + "/status",
                                  headers: [.init("Content-Type", "application/merge-patch+json")],
                                  body: JSONWriter.compactBytes(["status": status]))
        let cachedVersion = applications[key]?.resourceVersion
        let answer: JSONValue
        do {
            answer = try await client.send(request)
        } catch let error as KubeError where error.isNotFound {
            return false
        }
        pacing.wrote(key)
        applications.update(key, ifAt: cachedVersion) { object in
            object.json["status"] = status
            if let version = answer[path: ["metadata", "resourceVersion"]] { object.json[path: ["metadata", "resourceVersion"]] = version }
        }
        return true
    }

    /// Deletes what the Application owns (unless it asks to keep it), then removes the finalizer.
    private func finalize(_ key: ApplicationKey, _ application: KubeObject, parent: ApplicationParent, logger: Logger) async throws {
        guard (application.json[path: ["metadata", "finalizers"]]?.strings ?? []).contains(ApplicationParent.finalizer) else { return }
        let set = ApplySet(parent: key.reference)
        if application.json[path: ["metadata", "annotations", Self.onDeleteAnnotation]]?.string != "orphan" {
            let record = ApplySetRecord(parent: application)
            let deleted = try await ApplicationDeleter(client: client).delete(set, record: record, parent: nil)
            logger.info("deleted owned objects", metadata: ["objects": "\(deleted.count)"])
        }
        try await parent.release(client: client)
        applied.withLock { $0[key] = nil }
    }

    /// Each component's traits, with the containers each adds.
    static func traits(_ application: Application, _ inventory: Inventory) -> [String: [ApplicationStatus.Trait]] {
        var result: [String: [ApplicationStatus.Trait]] = [:]
        for component in application.components where result[component.name] == nil {
            let containers = inventory.components.first { $0.name == component.name }?.containers ?? []
            result[component.name] = component.traits.map { trait in
                ApplicationStatus.Trait(type: trait.type, containers: containers.filter { $0.trait == trait.type }.map(\.name))
            }
        }
        return result
    }

    /// The ApplySet `tandem up` keeps for the same application.
    static func commandLineSet(_ key: ApplicationKey) -> ApplySet {
        ApplySet(parent: ApplySet.commandLineParent(application: key.name, namespace: key.namespace))
    }

    /// `orphan` keeps the objects when the Application is deleted (to hand them to `tandem up`).
    static let onDeleteAnnotation = "tandem.oam.dev/on-delete"

    /// A digest of everything the plan would apply, and of the policies that say how.
    static func digest(_ plan: DeployPlan) -> String {
        var hasher = SHA256()
        for item in plan.items {
            hasher.update(data: JSONWriter.compactBytes(item.object.json))
            hasher.update(data: [0])
        }
        hasher.update(data: RuntimePolicies.fingerprint(of: plan.application))
        return hasher.finalize().map { String($0, radix: 16) }.joined()
    }
}

/// Problems in a sentence each, for conditions and logs.
enum HealthSummary {
    static func problems(_ health: ApplicationHealth) -> [String] {
        health.components.filter { $0.verdict.status != .current }.map { "component '\($0.name)': \(ApplicationStatus.message($0))" }
    }
}
