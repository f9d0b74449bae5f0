import KubeClient
import KubeModel
import Synchronization
import TandemDeploy

/// The objects Applications own, trimmed, by ApplySet id; and the pods of each application,
/// by namespace and application name. Filled by watches; read by health and pruning.
final class OwnedObjects: Sendable {
    struct PodGroup: Hashable {
        var namespace: String
        var application: String
    }

    struct PodName: Hashable {
        var namespace: String
        var name: String
    }

    private struct State {
        /// For each watched kind, its objects by set id: a list of one kind replaces only that kind.
        var members: [GroupKind: [String: [ObjectReference: CompactObject]]] = [:]
        /// For each watched kind, which set each object is in: a change finds its old set at once.
        var setOf: [GroupKind: [ObjectReference: String]] = [:]
        var pods: [PodGroup: [String: CompactObject]] = [:]
        /// The group of each pod, by namespace and name: an event names a pod, not its application.
        var groupOfPod: [PodName: PodGroup] = [:]
        var syncedKinds: Set<GroupKind> = []
        /// Kinds whose first list failed, until one succeeds.
        var failingKinds: Set<GroupKind> = []
    }

    private let state = Mutex(State())

    static func setID(of object: KubeObject) -> String? {
        object.json[path: ["metadata", "labels", ApplySet.partOfLabel]]?.string
    }

    /// Applies a change of an owned kind; returns the set ids it concerns, and those of them
    /// that lost a member (deleted, moved to another set, or missing from a fresh list).
    func apply(_ change: Reflector.Change, kind: GroupKind) -> (affected: Set<String>, lost: Set<String>) {
        state.withLock { state in
            // Taken out of the state, so that changing them does not copy every set of the kind.
            var byKind = state.members.removeValue(forKey: kind) ?? [:]
            var setOf = state.setOf.removeValue(forKey: kind) ?? [:]
            defer {
                state.members[kind] = byKind
                state.setOf[kind] = setOf
            }
            switch change {
            case .listed(let items):
                let before = byKind
                byKind = [:]
                setOf = [:]
                for item in items {
                    guard let id = Self.setID(of: item) else { continue }
                    let reference = item.reference
                    byKind[id, default: [:]][reference] = CompactObject(item)
                    setOf[reference] = id
                }
                state.syncedKinds.insert(kind)
                state.failingKinds.remove(kind)
                var lost: Set<String> = []
                for (id, objects) in before where objects.keys.contains(where: { setOf[$0] != id }) { lost.insert(id) }
                return (Set(before.keys).union(byKind.keys), lost)
            case .upserted(let object):
                guard let id = Self.setID(of: object) else { return ([], []) }
                let reference = object.reference
                var affected: Set<String> = [id], lost: Set<String> = []
                // An object whose label changed leaves the set it was in.
                if let old = setOf[reference], old != id {
                    byKind[old]?[reference] = nil
                    if byKind[old]?.isEmpty == true { byKind[old] = nil }
                    affected.insert(old)
                    lost.insert(old)
                }
                let compact = CompactObject(object)
                let unchanged = setOf[reference] == id && byKind[id]?[reference]?.sameApartFromVersion(compact) == true
                byKind[id, default: [:]][reference] = compact
                setOf[reference] = id
                return unchanged ? ([], []) : (affected, lost)
            case .deleted(let object):
                let reference = object.reference
                guard let id = setOf[reference] ?? Self.setID(of: object) else { return ([], []) }
                byKind[id]?[reference] = nil
                if byKind[id]?.isEmpty == true { byKind[id] = nil }
                setOf[reference] = nil
                return ([id], [id])
            }
        }
    }

    /// Applies a change of a pod; returns the application groups it concerns.
    func applyPod(_ change: Reflector.Change) -> Set<PodGroup> {
        state.withLock { state in
            switch change {
            case .listed(let items):
                var affected = Set(state.pods.keys)
                state.pods = [:]
                state.groupOfPod = [:]
                for item in items {
                    guard let group = Self.group(of: item) else { continue }
                    state.pods[group, default: [:]][item.name] = CompactObject(item)
                    state.groupOfPod[PodName(namespace: group.namespace, name: item.name)] = group
                    affected.insert(group)
                }
                return affected
            case .upserted(let pod):
                guard let group = Self.group(of: pod) else { return [] }
                let compact = CompactObject(pod)
                let unchanged = state.pods[group]?[pod.name]?.sameApartFromVersion(compact) == true
                state.pods[group, default: [:]][pod.name] = compact
                state.groupOfPod[PodName(namespace: group.namespace, name: pod.name)] = group
                return unchanged ? [] : [group]
            case .deleted(let pod):
                guard let group = Self.group(of: pod) else { return [] }
                state.pods[group]?[pod.name] = nil
                if state.pods[group]?.isEmpty == true { state.pods[group] = nil }
                state.groupOfPod[PodName(namespace: group.namespace, name: pod.name)] = nil
                return [group]
            }
        }
    }

    static func group(of pod: KubeObject) -> PodGroup? {
        guard let application = pod.json[path: ["metadata", "labels", LabelKeys.appName]]?.string else { return nil }
        return PodGroup(namespace: pod.namespace ?? "", application: application)
    }

    /// The members of a set among the watched kinds.
    func members(of id: String) -> [ObjectReference: KubeObject] {
        let compact = state.withLock { state in
            var members: [ObjectReference: CompactObject] = [:]
            for byKind in state.members.values {
                for (reference, object) in byKind[id] ?? [:] { members[reference] = object }
            }
            return members
        }
        return compact.mapValues(\.object)
    }

    /// The application group of a pod, by its namespace and name.
    func group(ofPod name: String, namespace: String) -> PodGroup? {
        state.withLock { $0.groupOfPod[PodName(namespace: namespace, name: name)] }
    }

    func pods(namespace: String, application: String) -> [KubeObject] {
        state.withLock { Array(($0.pods[PodGroup(namespace: namespace, application: application)] ?? [:]).values) }.map(\.object)
    }

    func isSynced(_ kinds: [GroupKind]) -> Bool {
        state.withLock { state in kinds.allSatisfy(state.syncedKinds.contains) }
    }

    /// Records that listing or watching a kind failed.
    func failedToList(_ kind: GroupKind) {
        state.withLock { state in
            if !state.syncedKinds.contains(kind) { state.failingKinds.insert(kind) }
        }
    }

    func isSyncedOrFailing(_ kinds: [GroupKind]) -> Bool {
        state.withLock { state in kinds.allSatisfy { state.syncedKinds.contains($0) || state.failingKinds.contains($0) } }
    }
}
