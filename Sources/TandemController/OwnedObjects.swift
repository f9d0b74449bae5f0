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

    private struct State {
        /// For each watched kind, its objects by set id: a list of one kind replaces only that kind.
        var members: [GroupKind: [String: [ObjectReference: KubeObject]]] = [:]
        var pods: [PodGroup: [String: KubeObject]] = [:]
        var syncedKinds: Set<GroupKind> = []
    }

    private let state = Mutex(State())

    static func setID(of object: KubeObject) -> String? {
        object.json[path: ["metadata", "labels", ApplySet.partOfLabel]]?.string
    }

    /// Applies a change of an owned kind; returns the set ids it concerns.
    func apply(_ change: Reflector.Change, kind: GroupKind) -> Set<String> {
        state.withLock { state in
            var byKind = state.members[kind] ?? [:]
            defer { state.members[kind] = byKind }
            switch change {
            case .listed(let items):
                var affected = Set(byKind.keys)
                byKind = [:]
                for item in items {
                    guard let id = Self.setID(of: item) else { continue }
                    byKind[id, default: [:]][item.reference] = Trimming.owned(item)
                    affected.insert(id)
                }
                state.syncedKinds.insert(kind)
                return affected
            case .upserted(let object):
                guard let id = Self.setID(of: object) else { return [] }
                // An object whose label changed leaves the set it was in.
                var affected: Set<String> = [id]
                for (other, var objects) in byKind where other != id && objects[object.reference] != nil {
                    objects[object.reference] = nil
                    byKind[other] = objects
                    affected.insert(other)
                }
                byKind[id, default: [:]][object.reference] = Trimming.owned(object)
                return affected
            case .deleted(let object):
                guard let id = Self.setID(of: object) else { return [] }
                byKind[id]?[object.reference] = nil
                if byKind[id]?.isEmpty == true { byKind[id] = nil }
                return [id]
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
                for item in items {
                    guard let group = Self.group(of: item) else { continue }
                    state.pods[group, default: [:]][item.name] = Trimming.pod(item)
                    affected.insert(group)
                }
                return affected
            case .upserted(let pod):
                guard let group = Self.group(of: pod) else { return [] }
                state.pods[group, default: [:]][pod.name] = Trimming.pod(pod)
                return [group]
            case .deleted(let pod):
                guard let group = Self.group(of: pod) else { return [] }
                state.pods[group]?[pod.name] = nil
                if state.pods[group]?.isEmpty == true { state.pods[group] = nil }
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
        state.withLock { state in
            var members: [ObjectReference: KubeObject] = [:]
            for byKind in state.members.values {
                for (reference, object) in byKind[id] ?? [:] { members[reference] = object }
            }
            return members
        }
    }

    func pods(namespace: String, application: String) -> [KubeObject] {
        state.withLock { Array(($0.pods[PodGroup(namespace: namespace, application: application)] ?? [:]).values) }
    }

    func isSynced(_ kinds: [GroupKind]) -> Bool {
        state.withLock { state in kinds.allSatisfy(state.syncedKinds.contains) }
    }
}
