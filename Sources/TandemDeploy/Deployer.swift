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
        let checked = try await dryRun(plan, members: members)
        let prunable = members.keys.filter { reference in !plan.items.contains { $0.reference == reference } }
            .sorted { (ApplyPhase($0.gvk.groupKind), $0) > (ApplyPhase($1.gvk.groupKind), $1) }
        try await parent.write(recorded.union(plan.record), inventory: plan.inventory, set: plan.applySet, client: client)
        return Prepared(members: members, prunable: prunable, checked: checked)
    }

    /// Applies `plan`'s objects phase by phase — all of them, or one delivery step's slice of
    /// the plan `prepare` checked. In a dry run, reports what the dry run found.
    public func apply(_ plan: DeployPlan, prepared: Prepared, events: @escaping @Sendable (DeployEvent) -> Void = { _ in }) async throws -> Outcome {
        guard client.dryRun else {
            var outcome = try await applyPhases(plan, members: prepared.members, checked: prepared.checked, events: events)
            outcome.previousMembers = prepared.members
            return outcome
        }
        var actions: [(ObjectReference, ObjectAction)] = []
        var applied: [ObjectReference: KubeObject] = [:]
        for item in plan.items {
            let action = Self.action(of: prepared.checked[item.reference], live: prepared.members[item.reference])
            actions.append((item.reference, action))
            applied[item.reference] = prepared.checked[item.reference]?.object
            events(.applied(item.reference, action, dryRun: true))
        }
        return Outcome(actions: actions, applied: applied, previousMembers: prepared.members)
    }

    /// After the last step: prunes what the plan no longer holds and records exactly the plan in
    /// the parent. Returns what was pruned.
    public func complete(_ plan: DeployPlan, prepared: Prepared, parent: any ApplySetParent,
                         events: @escaping @Sendable (DeployEvent) -> Void = { _ in }) async throws -> [ObjectReference] {
        guard !client.dryRun else {
            for reference in prepared.prunable { events(.pruned(reference, dryRun: true)) }
            return prepared.prunable
        }
        try await prune(prepared.prunable, events: events)
        try await parent.write(plan.record, inventory: plan.inventory, set: plan.applySet, client: client)
        return prepared.prunable
    }

    // MARK: Dry run

    struct Checked: Sendable {
        var object: KubeObject?
        var created: Bool
    }

    /// The server's dry run of every object, concurrently. Stops with every problem at once:
    /// objects that are not ours, conflicts, refusals.
    private func dryRun(_ plan: DeployPlan, members: [ObjectReference: KubeObject]) async throws -> [ObjectReference: Checked] {
        let definedKinds = Set(plan.items.filter { $0.reference.gvk.groupKind == GroupVersionKind.customResourceDefinition.groupKind }
            .compactMap { CustomResourceNames(definition: $0.object)?.groupKind })
        let client = self.client.dryRunning()
        let options = self.options
        let items = plan.items.filter { options.dryRunMembers || members[$0.reference] == nil }
        let results = await concurrentMap(items, limit: options.concurrency) { item -> Result<Checked, KubeError> in
            let isMember = members[item.reference] != nil
            do {
                let applied = try await client.apply(item.object, options: ApplyOptions(
                    force: options.forceConflicts || (options.takeOver && !isMember)))
                return .success(Checked(object: applied.object, created: applied.created))
            } catch let error as KubeError {
                // A custom resource whose definition this plan installs cannot be checked yet.
                if case .configuration = error, definedKinds.contains(item.reference.gvk.groupKind) {
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
            switch result {
            case .success(let outcome):
                checked[item.reference] = outcome
                if !outcome.created, !isMember, !options.takeOver {
                    foreign.append(await self.foreign(item, plan: plan))
                }
            case .failure(let error):
                if case .unreachable = error { throw error }
                // An object that exists and is not ours is named as such, whatever else the
                // server says about applying over it (a conflict, an immutable field).
                var exists = error.isConflict
                if !exists, !isMember, !options.takeOver { exists = ((try? await client.get(item.reference)) ?? nil) != nil }
                if !isMember, !options.takeOver, exists {
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

    private func applyPhases(_ plan: DeployPlan, members: [ObjectReference: KubeObject], checked: [ObjectReference: Checked],
                       events: @escaping @Sendable (DeployEvent) -> Void) async throws -> Outcome {
        var actions: [(reference: ObjectReference, action: ObjectAction)] = []
        var appliedObjects: [ObjectReference: KubeObject] = [:]
        let phases = plan.phases
        for (index, phase) in phases.enumerated() {
            let client = self.client
            let options = self.options
            let results = await concurrentMap(phase, limit: options.concurrency) { item -> Result<KubeClient.Applied, KubeError> in
                do {
                    let force = options.forceConflicts || (options.takeOver && members[item.reference] == nil)
                    return .success(try await client.apply(item.object, options: ApplyOptions(force: force)))
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

    private func prune(_ references: [ObjectReference], events: @escaping @Sendable (DeployEvent) -> Void) async throws {
        var deleter = ApplicationDeleter(client: client)
        deleter.concurrency = options.concurrency
        _ = try await deleter.deleteBackwards(references) { events(.pruned($0, dryRun: false)) }
    }
}

private func > (lhs: (ApplyPhase, ObjectReference), rhs: (ApplyPhase, ObjectReference)) -> Bool {
    lhs.0 != rhs.0 ? lhs.0 > rhs.0 : lhs.1 < rhs.1
}

extension KubeObject {
    public var resourceVersion: String? { json[path: ["metadata", "resourceVersion"]]?.string }
    public var uid: String? { json[path: ["metadata", "uid"]]?.string }
}
