import KubeClient
import KubeModel
import Synchronization
import TandemDeploy

/// The Applications the controller watches, trimmed, by key; and which key holds which
/// ApplySet id, so that a change of an owned object finds its Application.
final class ApplicationCache: Sendable {
    private struct State {
        var applications: [ApplicationKey: KubeObject] = [:]
        var keysBySet: [String: ApplicationKey] = [:]
        var synced = false
    }

    private let state = Mutex(State())

    static func key(of object: KubeObject) -> ApplicationKey {
        ApplicationKey(namespace: object.namespace ?? "", name: object.name)
    }

    /// Applies a watch change; returns the keys it concerns (all keys, before and after, for a list).
    func apply(_ change: Reflector.Change) -> [ApplicationKey] {
        state.withLock { state in
            switch change {
            case .listed(let items):
                let before = Array(state.applications.keys)
                state.applications = [:]
                state.keysBySet = [:]
                for item in items { Self.store(Trimming.application(item), in: &state) }
                state.synced = true
                return Array(Set(before).union(state.applications.keys))
            case .upserted(let object):
                Self.store(Trimming.application(object), in: &state)
                return [Self.key(of: object)]
            case .deleted(let object):
                let key = Self.key(of: object)
                state.applications[key] = nil
                state.keysBySet[ApplySet.id(for: key.reference)] = nil
                return [key]
            }
        }
    }

    private static func store(_ object: KubeObject, in state: inout State) {
        let key = key(of: object)
        state.applications[key] = object
        state.keysBySet[ApplySet.id(for: key.reference)] = key
    }

    subscript(key: ApplicationKey) -> KubeObject? { state.withLock { $0.applications[key] } }

    /// Records what the controller itself wrote, so that the next pass compares with it.
    func update(_ key: ApplicationKey, _ change: (inout KubeObject) -> Void) {
        state.withLock { state in
            guard var object = state.applications[key] else { return }
            change(&object)
            state.applications[key] = object
        }
    }

    func key(forSet id: String) -> ApplicationKey? { state.withLock { $0.keysBySet[id] } }

    var keys: [ApplicationKey] { state.withLock { Array($0.applications.keys) } }
    var count: Int { state.withLock { $0.applications.count } }
    var isSynced: Bool { state.withLock { $0.synced } }

    /// How many Applications are in each `status.status` phase, for metrics.
    var phases: [String: Int] {
        state.withLock { state in
            var counts: [String: Int] = [:]
            for object in state.applications.values {
                counts[object.json[path: ["status", "status"]]?.string ?? "starting", default: 0] += 1
            }
            return counts
        }
    }
}
