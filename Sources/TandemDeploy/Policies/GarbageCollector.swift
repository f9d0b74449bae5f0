import KubeClient
import KubeModel
import TandemJSON

/// Deletes what an application lets go of — the members it no longer renders (pruning) or all
/// of them (deleting the application) — as the garbage-collect and shared-resource policies it
/// was deployed with say: kept members stay, shared objects are left to the applications that
/// still share them, and with `order: dependency` a component's objects go (and are gone)
/// before those of the components it depends on.
struct GarbageCollector: Sendable {
    enum Occasion: Sendable {
        /// The application changed and no longer renders these members.
        case update(keepLegacyResource: Bool)
        /// The application is being deleted.
        case delete
    }

    var client: KubeClient
    var set: ApplySet
    /// The application's `shared-by` entry.
    var sharer: String
    var concurrency = 16

    /// Lets go of `members` (live objects, or nil when only their references are known) and of
    /// `shared`, the objects the application shared without owning them. Returns what was
    /// deleted, in order; `deleted` hears each.
    func collect(_ members: [ObjectReference: KubeObject?], shared: [ObjectReference], occasion: Occasion,
                 deleted: @escaping @Sendable (ObjectReference) -> Void) async throws -> [ObjectReference] {
        var doomed: [ObjectReference: KubeObject?] = [:]
        for (reference, known) in members {
            let live = try await current(reference, known)
            switch occasion {
            case .update(let keepLegacyResource):
                if keepLegacyResource || ["onAppDelete", "never"].contains(GarbageCollectRules.strategy(of: live)) { continue }
            case .delete:
                if GarbageCollectRules.strategy(of: live) == "never" {
                    if let live { try await disown(live) }
                    continue
                }
            }
            if let live, !SharedResource.sharers(of: live).isEmpty,
               try await SharedResource.release(live, sharer: sharer, ownerSet: set.id, client: client) == .leftToOthers { continue }
            doomed[reference] = live
        }
        for reference in shared {
            guard let live = try await client.get(reference) else { continue }
            if try await SharedResource.release(live, sharer: sharer, ownerSet: nil, client: client) == .delete { doomed[reference] = live }
        }
        return try await delete(doomed, deleted: deleted)
    }

    /// A member kept when its application is deleted leaves the set: nothing is left to own it.
    private func disown(_ live: KubeObject) async throws {
        let resource = try await client.resource(for: live.gvk)
        try await client.send(KubeRequests.mergePatch(resource, namespace: resource.namespaced ? live.namespace : nil, name: live.name,
                                                      ["metadata": ["labels": [ApplySet.partOfLabel: .null]]]))
    }

    /// The live object with its annotations (the controller's cache keeps none of them).
    private func current(_ reference: ObjectReference, _ known: KubeObject?) async throws -> KubeObject? {
        if let known, known.json[path: ["metadata", "annotations"]] != nil { return known }
        return try await client.get(reference) ?? known
    }

    /// Rank by rank (highest first, each waited for until gone), each rank backwards by phase.
    private func delete(_ doomed: [ObjectReference: KubeObject?],
                        deleted: @escaping @Sendable (ObjectReference) -> Void) async throws -> [ObjectReference] {
        var deleter = ApplicationDeleter(client: client)
        deleter.concurrency = concurrency
        let propagation = doomed.mapValues { GarbageCollectRules.propagation(of: $0) }
        let ranks = Dictionary(grouping: doomed.keys) { GarbageCollectRules.rank(of: doomed[$0] ?? nil) ?? 0 }
        var done: [ObjectReference] = []
        for rank in ranks.keys.sorted(by: >) {
            let group = ranks[rank] ?? []
            done += try await deleter.deleteBackwards(group, propagation: { propagation[$0] ?? .background }, deleted: deleted)
            if ranks.count > 1, !client.dryRun {
                for reference in group { try await UpdateStrategy.waitUntilGone(reference, client: client) }
            }
        }
        return done
    }
}
