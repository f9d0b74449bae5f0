import KubeClient
import KubeModel
import TandemDefinitions
import TandemJSON

/// What the runtime policies make of a plan, against the live cluster, before anything is
/// written: the items to write (with what apply-once keeps of the live objects), the rendered
/// objects left as they are, those adopted, and those shared with an application that owns them.
struct PolicyDecisions: Sendable {
    var policies: RuntimePolicies
    /// The plan to dry-run and apply.
    var plan: DeployPlan
    /// Rendered, but not written in this deploy (read-only, apply-once, shared with their owner).
    var kept: [ObjectReference] = []
    /// Adopted when they exist and are not this application's (take-over, shared and owned by no one).
    var adopting: Set<ObjectReference> = []
    /// Drift an apply-once policy allowed, now overwritten because the application changed:
    /// fields others took meanwhile are taken back.
    var overwritingDrift: Set<ObjectReference> = []
    /// Shared: the application is on their `shared-by` list.
    var shared: Set<ObjectReference> = []
    /// Shared and owned by another application: it joins their list once the deploy is applied.
    var joining: [KubeObject] = []

    /// Whether an object that exists and is not the application's is adopted.
    func adopts(_ reference: ObjectReference, _ options: DeployOptions) -> Bool {
        options.takeOver || adopting.contains(reference)
    }

    /// Whether writing the object takes fields other managers own.
    func forces(_ reference: ObjectReference, isMember: Bool, _ options: DeployOptions) -> Bool {
        options.forceConflicts || (adopts(reference, options) && !isMember) || overwritingDrift.contains(reference)
    }
}

extension RuntimePolicies {
    /// Decides, reading live objects only where a policy needs them. Throws naming every object
    /// that must exist and does not: read-only ones, and those take-over adopts as they are.
    func decide(_ plan: DeployPlan, members: [ObjectReference: KubeObject], renderingChanged: Bool,
                client: KubeClient) async throws -> PolicyDecisions {
        var decisions = PolicyDecisions(policies: self, plan: annotated(plan))
        var write: [DeployPlan.Item] = []
        var missing: [String] = []
        var missingToAdopt: [String] = []
        for item in decisions.plan.items {
            let reference = item.reference
            if isReadOnly(item) {
                if try await client.get(reference) == nil { missing.append(plan.describe(item)) }
                decisions.kept.append(reference)
                continue
            }
            if isShared(item) {
                decisions.shared.insert(reference)
                if members[reference] == nil, let live = try await client.get(reference) {
                    if let owner = live.json[path: ["metadata", "labels", ApplySet.partOfLabel]]?.string, owner != plan.applySet.id {
                        decisions.kept.append(reference)
                        decisions.joining.append(live)
                        continue
                    }
                    decisions.adopting.insert(reference)
                }
            }
            if takesOver(item) {
                decisions.adopting.insert(reference)
                // Given by its metadata alone, it names a live object, which must exist.
                if KubernetesObjects.isReference(item.object.json), members[reference] == nil, try await client.get(reference) == nil {
                    missingToAdopt.append(plan.describe(item))
                }
            }
            var item = item
            if members[reference] != nil, applyOnce.selects(item), renderingChanged { decisions.overwritingDrift.insert(reference) }
            if let paths = applyOnce.paths(for: item, renderingChanged: renderingChanged), members[reference] != nil {
                if paths.contains("*") {
                    decisions.kept.append(reference)
                    continue
                }
                // The watch cache keeps little of an object: read the fields from the object itself.
                if let live = try await client.get(reference) {
                    item.object = ApplyOnceRules.keeping(paths, of: live, in: item.object)
                }
            }
            write.append(item)
        }
        if !missing.isEmpty { throw DeployError.missing(missing, policy: ReadOnlyPolicy().name) }
        if !missingToAdopt.isEmpty { throw DeployError.missing(missingToAdopt, policy: TakeOverPolicy().name) }
        decisions.plan.items = write
        return decisions
    }

    /// After the plan is applied: the application joins the `shared-by` list of what it shares,
    /// owned or not.
    func join(_ decisions: PolicyDecisions, applied: [ObjectReference: KubeObject], sharer: String, client: KubeClient) async throws {
        for live in decisions.joining { try await SharedResource.join(live, sharer: sharer, client: client) }
        for reference in decisions.shared.sorted() {
            guard let live = applied[reference] else { continue }
            try await SharedResource.join(live, sharer: sharer, client: client)
        }
    }
}
