import Foundation
import KubeClient
import KubeModel
import TandemJSON

/// What `up` may do. A dry run is the client's (`KubeClient.dryRunning()`): the server
/// checks everything, nothing changes.
public struct DeployOptions: Sendable {
    /// Take fields other managers own instead of stopping at a conflict.
    public var forceConflicts = false
    /// Adopt objects that exist and are not this application's.
    public var takeOver = false
    /// Requests in flight at once.
    public var concurrency = 16
    /// Run the server's dry run for objects the set already holds too, not only for new ones
    /// (whose dry run finds objects that are not the application's). The command line checks
    /// everything before changing anything; the controller, applying the same objects again and
    /// again, checks only what is new.
    public var dryRunMembers = true
    /// How long custom resource definitions the plan applies may take to be established
    /// before their custom resources are applied.
    public var definitionTimeout: Duration = .seconds(60)

    public init(forceConflicts: Bool = false, takeOver: Bool = false, concurrency: Int = 16, dryRunMembers: Bool = true) {
        self.forceConflicts = forceConflicts
        self.takeOver = takeOver
        self.concurrency = concurrency
        self.dryRunMembers = dryRunMembers
    }
}

/// What happened to one object.
public enum ObjectAction: String, Sendable {
    case created, configured, unchanged, pruned
    /// Rendered but left as the cluster has it, as a policy says (read-only, apply-once, shared-resource).
    case kept
}

/// What `deploy` reports as it goes.
public enum DeployEvent: Sendable {
    case applied(ObjectReference, ObjectAction, dryRun: Bool)
    case pruned(ObjectReference, dryRun: Bool)
}

/// Puts a plan on the cluster: checks ownership and runs the server's dry run for every object
/// first, applies phase by phase (objects of a phase concurrently), prunes the set's members
/// that are no longer rendered, and keeps the ApplySet parent's record a superset of what
/// exists throughout. Stateless between calls: the controller uses it as `up` does.
public struct Deployer: Sendable {
    public var client: KubeClient
    public var options: DeployOptions

    public init(client: KubeClient, options: DeployOptions = DeployOptions()) {
        self.client = client
        self.options = options
    }

    public struct Outcome: Sendable {
        public var actions: [(reference: ObjectReference, action: ObjectAction)]
        /// The live objects as applied, by reference (dry-run results in a dry run).
        public var applied: [ObjectReference: KubeObject]
        /// The set's members as they were before, by reference.
        public var previousMembers: [ObjectReference: KubeObject] = [:]
    }

    /// `members`, when the caller already knows the set's members (a controller's watch cache),
    /// spares listing them.
    public func deploy(_ plan: DeployPlan, parent: any ApplySetParent, members knownMembers: [ObjectReference: KubeObject]? = nil,
                       events: @escaping @Sendable (DeployEvent) -> Void = { _ in }) async throws -> Outcome {
        let prepared = try await prepare(plan, parent: parent, members: knownMembers)
        var outcome = try await apply(plan, prepared: prepared, events: events)
        outcome.actions += try await complete(plan, prepared: prepared, parent: parent, events: events).map { ($0, .pruned) }
        return outcome
    }

    /// What `prepare` found before anything changed.
    public struct Prepared: Sendable {
        /// The set's members as they were.
        public var members: [ObjectReference: KubeObject]
        /// The members the plan no longer holds, in the order they are deleted.
        public var prunable: [ObjectReference]
        var checked: [ObjectReference: Checked]
        /// What the runtime policies made of the plan.
        var decisions: PolicyDecisions
        /// The parent's record before this delivery.
        var recorded: ApplySetRecord
        /// The digest of the rendering delivered, for apply-once.
        var rendering: String
    }

    /// Checks the whole plan before anything changes — the parent is ours, no object belongs to
    /// someone else, the server's dry run accepts every object — and records in the parent every
    /// kind the set may hold, so that an interrupted delivery leaves nothing a later prune cannot find.
    public func prepare(_ plan: DeployPlan, parent: any ApplySetParent,
                        members knownMembers: [ObjectReference: KubeObject]? = nil) async throws -> Prepared {
        let previous = try await parent.read(client)
        if let record = previous?.record {
            if let tool = record.toolName, tool != ApplySet.toolName, !options.takeOver {
                throw DeployError.parentOfAnotherTool(parent.reference, tooling: record.tooling ?? tool)
            }
            if let id = record.id, id != plan.applySet.id {
                throw DeployError.parentOfAnotherSet(parent.reference, id: id, expected: plan.applySet.id)
            }
        }
        let recorded = previous?.record ?? ApplySetRecord()
        let members: [ObjectReference: KubeObject]
        if let knownMembers {
            members = knownMembers
        } else {
            members = try await MemberListing(client: client, set: plan.applySet, versions: plan.versions)
                .members(of: recorded.union(plan.record), parentNamespace: plan.applySet.parent.namespace)
        }
        let policies = RuntimePolicies(plan.application)
        let rendering = PolicyState.digest(plan)
        let decisions = try await policies.decide(plan, members: members, renderingChanged: recorded.policyState.renderingDigest != rendering,
                                                  client: client)
        let checked = try await dryRun(decisions, members: members)
        let prunable = members.keys.filter { reference in !plan.items.contains { $0.reference == reference } }
            .sorted { (ApplyPhase($0.gvk.groupKind), $0) > (ApplyPhase($1.gvk.groupKind), $1) }
        try await parent.write(recorded.union(plan.record), inventory: plan.inventory, set: plan.applySet, client: client)
        return Prepared(members: members, prunable: prunable, checked: checked, decisions: decisions, recorded: recorded, rendering: rendering)
    }

    /// Applies `plan`'s objects phase by phase — all of them, or one delivery step's slice of
    /// the plan `prepare` checked — as the runtime policies decided. In a dry run, reports what
    /// the dry run found.
    public func apply(_ plan: DeployPlan, prepared: Prepared, events: @escaping @Sendable (DeployEvent) -> Void = { _ in }) async throws -> Outcome {
        let slice = Set(plan.items.map(\.reference))
        var decisions = prepared.decisions
        decisions.plan.items = decisions.plan.items.filter { slice.contains($0.reference) }
        decisions.joining = decisions.joining.filter { slice.contains($0.reference) }
        let kept = decisions.kept.filter(slice.contains)
        guard client.dryRun else {
            var outcome = try await applyPhases(decisions, members: prepared.members, checked: prepared.checked, events: events)
            for reference in kept {
                outcome.actions.append((reference, .kept))
                events(.applied(reference, .kept, dryRun: false))
            }
            let sharer = SharedResource.entry(application: plan.application.name, namespace: plan.namespace)
            try await decisions.policies.join(decisions, applied: outcome.applied, sharer: sharer, client: client)
            outcome.previousMembers = prepared.members
            return outcome
        }
        var actions: [(ObjectReference, ObjectAction)] = []
        var applied: [ObjectReference: KubeObject] = [:]
        for item in decisions.plan.items {
            let action = Self.action(of: prepared.checked[item.reference], live: prepared.members[item.reference])
            actions.append((item.reference, action))
            applied[item.reference] = prepared.checked[item.reference]?.object
            events(.applied(item.reference, action, dryRun: true))
        }
        for reference in kept {
            actions.append((reference, .kept))
            events(.applied(reference, .kept, dryRun: true))
        }
        return Outcome(actions: actions, applied: applied, previousMembers: prepared.members)
    }

    /// After the last step: prunes what the plan no longer holds (as the garbage-collect and
    /// shared-resource policies say) and records the plan in the parent. Returns what was pruned.
    public func complete(_ plan: DeployPlan, prepared: Prepared, parent: any ApplySetParent,
                         events: @escaping @Sendable (DeployEvent) -> Void = { _ in }) async throws -> [ObjectReference] {
        let policies = prepared.decisions.policies
        guard !client.dryRun else {
            let prunable = prepared.prunable.filter { !policies.garbageCollect.keepsWhenNoLongerRendered(prepared.members[$0]) }
            for reference in prunable { events(.pruned(reference, dryRun: true)) }
            return prunable
        }
        let sharer = SharedResource.entry(application: plan.application.name, namespace: plan.namespace)
        let rendered = Set(plan.items.map(\.reference))
        let pruned = try await prune(prepared.prunable, members: prepared.members,
                                     shared: prepared.recorded.policyState.shared.filter { !rendered.contains($0) },
                                     policies: policies, set: plan.applySet, sharer: sharer, events: events)
        var record = plan.record
        // Members a policy kept from pruning stay members: the record still names their kinds.
        let deleted = Set(pruned)
        for reference in prepared.prunable where !deleted.contains(reference) {
            record.groupKinds.insert(reference.gvk.groupKind)
            if let namespace = reference.namespace, namespace != plan.applySet.parent.namespace { record.additionalNamespaces.insert(namespace) }
        }
        record.policyState.renderingDigest = prepared.rendering
        record.policyState.shared = Set(prepared.decisions.joining.map(\.reference))
        try await parent.write(record, inventory: plan.inventory, set: plan.applySet, client: client)
        return pruned
    }

    // MARK: Dry run

    struct Checked: Sendable {
        var object: KubeObject?
        var created: Bool
    }

    /// The server's dry run of every object the policies let be written, concurrently. Stops
    /// with every problem at once: objects that are not ours, conflicts, refusals.
    private func dryRun(_ decisions: PolicyDecisions, members: [ObjectReference: KubeObject]) async throws -> [ObjectReference: Checked] {
        let plan = decisions.plan
        let definedKinds = Set(plan.items.filter { $0.reference.gvk.groupKind == GroupVersionKind.customResourceDefinition.groupKind }
            .compactMap { CustomResourceNames(definition: $0.object)?.groupKind })
        let definedNamespaces = Set(plan.items.filter { $0.reference.gvk.groupKind == GroupVersionKind.namespace.groupKind }.map(\.reference.name))
        let client = self.client.dryRunning()
        let options = self.options
        let items = plan.items.filter { options.dryRunMembers || members[$0.reference] == nil }
        let results = await concurrentMap(items, limit: options.concurrency) { item -> Result<Checked, KubeError> in
            let isMember = members[item.reference] != nil
            do {
                let applied = try await decisions.policies.write(item, live: members[item.reference], client: client,
                                                                 force: decisions.forces(item.reference, isMember: isMember, options))
                return .success(Checked(object: applied.object, created: applied.created))
            } catch let error as KubeError {
                // A custom resource whose definition this plan installs cannot be checked yet.
                if case .configuration = error, definedKinds.contains(item.reference.gvk.groupKind) {
                    return .success(Checked(object: nil, created: true))
                }
                // Nor can an object in a namespace this plan creates.
                if error.isNotFound, let namespace = item.reference.namespace, definedNamespaces.contains(namespace) {
                    return .success(Checked(object: nil, created: true))
                }
                return .failure(error)
            } catch {
                return .failure(.invalidResponse(request: "apply \(item.reference.kubectlName)", reason: String(describing: error)))
            }
        }

        var checked: [ObjectReference: Checked] = [:]
        var foreign: [DeployError.ForeignObject] = []
        var rejected: [(object: String, error: KubeError)] = []
        for (item, result) in zip(items, results) {
            let isMember = members[item.reference] != nil
            let takeOver = decisions.adopts(item.reference, options)
            switch result {
            case .success(let outcome):
                checked[item.reference] = outcome
                if !outcome.created, !isMember, !takeOver {
                    foreign.append(await self.foreign(item, plan: plan))
                }
            case .failure(let error):
                if case .unreachable = error { throw error }
                // An object that exists and is not ours is named as such, whatever else the
                // server says about applying over it (a conflict, an immutable field).
                var exists = error.isConflict
                if !exists, !isMember, !takeOver { exists = ((try? await client.get(item.reference)) ?? nil) != nil }
                if !isMember, !takeOver, exists {
                    foreign.append(await self.foreign(item, plan: plan))
                } else {
                    rejected.append((plan.describe(item), error))
                }
            }
        }
        if !foreign.isEmpty { throw DeployError.foreignObjects(foreign) }
        if !rejected.isEmpty { throw DeployError.rejected(rejected) }
        return checked
    }

    /// An existing object that is not the application's, and who it belongs to, in words.
    private func foreign(_ item: DeployPlan.Item, plan: DeployPlan) async -> DeployError.ForeignObject {
        let object = plan.describe(item)
        guard let live = try? await client.get(item.reference) else {
            return .init(object: object, owner: "not this application's", applySet: nil)
        }
        let labels = live.json[path: ["metadata", "labels"]]
        if let other = labels?[ApplySet.partOfLabel]?.string, other != plan.applySet.id {
            if let app = labels?[LabelKeys.appName]?.string {
                return .init(object: object, owner: "part of application '\(app)' (ApplySet \(other))", applySet: other)
            }
            return .init(object: object, owner: "part of another ApplySet (\(other))", applySet: other)
        }
        let managers = (live.json[path: ["metadata", "managedFields"]]?.array ?? []).compactMap { $0["manager"]?.string }
        let people = Array(Set(managers)).sorted().filter { !$0.hasPrefix("kube-") }
        return .init(object: object, owner: "not part of any ApplySet" + (people.isEmpty ? "" : " (managed by \(people.joined(separator: ", ")))"),
                     applySet: nil)
    }

    static func action(of checked: Checked?, live: KubeObject?) -> ObjectAction {
        guard let checked, !checked.created, let live else { return .created }
        guard let result = checked.object else { return .configured }
        return ObjectComparison.sameContent(live, result) ? .unchanged : .configured
    }

    // MARK: Apply

    private func applyPhases(_ decisions: PolicyDecisions, members: [ObjectReference: KubeObject], checked: [ObjectReference: Checked],
                       events: @escaping @Sendable (DeployEvent) -> Void) async throws -> Outcome {
        let plan = decisions.plan
        var actions: [(reference: ObjectReference, action: ObjectAction)] = []
        var appliedObjects: [ObjectReference: KubeObject] = [:]
        let phases = plan.phases
        for (index, phase) in phases.enumerated() {
            let client = self.client
            let options = self.options
            let results = await concurrentMap(phase, limit: options.concurrency) { item -> Result<KubeClient.Applied, KubeError> in
                do {
                    let force = decisions.forces(item.reference, isMember: members[item.reference] != nil, options)
                    return .success(try await decisions.policies.write(item, live: members[item.reference], client: client, force: force))
                } catch let error as KubeError {
                    return .failure(error)
                } catch {
                    return .failure(.invalidResponse(request: "apply \(item.reference.kubectlName)", reason: String(describing: error)))
                }
            }
            var failed: [(object: String, error: KubeError)] = []
            for (item, result) in zip(phase, results) {
                switch result {
                case .success(let applied):
                    let live = members[item.reference]
                    let action: ObjectAction = applied.created ? .created
                        : (live.map { $0.resourceVersion == applied.object.resourceVersion } ?? false) ? .unchanged : .configured
                    actions.append((item.reference, action))
                    appliedObjects[item.reference] = applied.object
                    events(.applied(item.reference, action, dryRun: false))
                case .failure(let error):
                    failed.append((plan.describe(item), error))
                }
            }
            if !failed.isEmpty {
                throw DeployError.partiallyApplied(applied: actions.map(\.reference), failed: failed,
                                                   notAttempted: phases[(index + 1)...].flatMap { $0.map(\.reference) })
            }
            if phase.first?.phase == .definitions {
                let waiting = try await waitForDefinitions(phase.map(\.object), plan: plan)
                if !waiting.isEmpty {
                    throw DeployError.definitionsNotEstablished(applied: actions.map(\.reference), waiting: waiting,
                                                                notAttempted: phases[(index + 1)...].flatMap { $0.map(\.reference) })
                }
            }
        }
        return Outcome(actions: actions, applied: appliedObjects)
    }

    /// Custom resources can be applied once their definitions are established. Returns the
    /// definitions that were not within the timeout, with what their conditions last said.
    private func waitForDefinitions(_ definitions: [KubeObject], plan: DeployPlan) async throws -> [(name: String, reason: String)] {
        let entries = definitions.map { Inventory.Entry(reference: plan.reference(of: $0), trait: nil, isWorkload: false) }
        let inventory = Inventory(application: plan.application.name,
                                  components: [Inventory.Component(name: "definitions", type: "", objects: entries, containers: [])])
        let outcome = try await HealthWatch(client: client, inventory: inventory, namespace: plan.namespace, applySet: plan.applySet)
            .wait(timeout: options.definitionTimeout) { _ in }
        await client.forgetDiscovery()
        guard case .healthy = outcome else {
            let objects = outcome.health.components.flatMap(\.objects).filter { $0.verdict.status != .current }
            return objects.map { ($0.reference.name, $0.verdict.status == .notFound ? "not read back yet" : $0.verdict.message) }
        }
        return []
    }

    // MARK: Prune

    /// Deletes the members no longer rendered, and lets go of shared objects no longer rendered,
    /// as the garbage-collect and shared-resource policies say; returns what was deleted.
    private func prune(_ references: [ObjectReference], members: [ObjectReference: KubeObject], shared: Set<ObjectReference>,
                       policies: RuntimePolicies, set: ApplySet, sharer: String,
                       events: @escaping @Sendable (DeployEvent) -> Void) async throws -> [ObjectReference] {
        guard !references.isEmpty || !shared.isEmpty else { return [] }
        var collector = GarbageCollector(client: client, set: set, sharer: sharer)
        collector.concurrency = options.concurrency
        let candidates = Dictionary(references.map { ($0, members[$0]) }, uniquingKeysWith: { first, _ in first })
        return try await collector.collect(candidates, shared: shared.sorted(),
                                           occasion: .update(keepLegacyResource: policies.garbageCollect.keepLegacyResource)) {
            events(.pruned($0, dryRun: false))
        }
    }
}

private func > (lhs: (ApplyPhase, ObjectReference), rhs: (ApplyPhase, ObjectReference)) -> Bool {
    lhs.0 != rhs.0 ? lhs.0 > rhs.0 : lhs.1 < rhs.1
}

extension KubeObject {
    public var resourceVersion: String? { json[path: ["metadata", "resourceVersion"]]?.string }
    public var uid: String? { json[path: ["metadata", "uid"]]?.string }
}
