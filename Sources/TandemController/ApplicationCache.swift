import KubeClient
import KubeModel
import Synchronization
import TandemDeploy
import TandemJSON

/// The Applications the controller watches, trimmed by their reflector (`Trimming`), by key; and which key holds which
/// ApplySet id, so that a change of an owned object finds its Application.
final class ApplicationCache: Sendable {
    private struct Entry {
        var object: CompactObject
        /// The digest of what a pass acts on (`withoutStatus`), to skip status-only changes.
        var body: [UInt8]
        var phase: String
        /// The digest of `status.workflow`: someone else changing it (`tandem workflow resume`,
        /// `vela workflow resume`) is a change a pass acts on.
        var workflow: [UInt8]?
    }

    private struct State {
        var applications: [ApplicationKey: Entry] = [:]
        var keysBySet: [String: ApplicationKey] = [:]
        /// How many Applications are in each `status.status` phase, kept as they change.
        var phases: [String: Int] = [:]
        var synced = false

        /// Stores `object` under `key`; true when only its status (or version) changed.
        @discardableResult
        mutating func set(_ key: ApplicationKey, _ object: KubeObject?) -> Bool {
            let old = applications[key]
            if let old { phases[old.phase, default: 0] -= 1 }
            guard let object else {
                applications[key] = nil
                return false
            }
            let entry = Entry(object: CompactObject(object), body: CompactObject.digest(ApplicationCache.withoutStatus(object)),
                              phase: ApplicationCache.phase(of: object),
                              workflow: object.json[path: ["status", "workflow"]].map(CompactObject.digest))
            applications[key] = entry
            phases[entry.phase, default: 0] += 1
            return old?.body == entry.body && old?.workflow == entry.workflow
        }
    }

    static func phase(of object: KubeObject) -> String {
        object.json[path: ["status", "status"]]?.string ?? "starting"
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
                state.phases = [:]
                for item in items { Self.store(item, in: &state) }
                state.synced = true
                return Array(Set(before).union(state.applications.keys))
            case .upserted(let object):
                // Its status alone changed (most often: the controller's own write): nothing to do.
                return Self.store(object, in: &state) ? [] : [Self.key(of: object)]
            case .deleted(let object):
                let key = Self.key(of: object)
                state.set(key, nil)
                state.keysBySet[ApplySet.id(for: key.reference)] = nil
                return [key]
            }
        }
    }

    /// True when only the status changed, and not its workflow part.
    @discardableResult
    private static func store(_ object: KubeObject, in state: inout State) -> Bool {
        let key = key(of: object)
        if state.applications[key] == nil { state.keysBySet[ApplySet.id(for: key.reference)] = key }
        return state.set(key, object)
    }

    /// What a pass acts on: everything but the status and the version.
    static func withoutStatus(_ object: KubeObject) -> JSONValue {
        var json = object.json
        json["status"] = nil
        json[path: ["metadata", "resourceVersion"]] = nil
        return json
    }

    subscript(key: ApplicationKey) -> KubeObject? { state.withLock { $0.applications[key]?.object }?.object }

    /// The Application and the digest of its body (`withoutStatus`), read together.
    func entry(_ key: ApplicationKey) -> (object: KubeObject, body: [UInt8])? {
        guard let entry = state.withLock({ $0.applications[key] }) else { return nil }
        return (entry.object.object, entry.body)
    }

    /// Records what the controller itself wrote, so that the next pass compares with it — unless
    /// the watch brought a newer version meanwhile (the cache is no longer at `version`, the one
    /// the write started from): then the watch's is the truth, and an answer that came back after
    /// it must not wind the cached resourceVersion back, or every later write is refused as a
    /// conflict until the Application changes again.
    func update(_ key: ApplicationKey, ifAt version: String?, _ change: (inout KubeObject) -> Void) {
        state.withLock { state in
            guard var object = state.applications[key]?.object.object, object.resourceVersion == version else { return }
            change(&object)
            state.set(key, object)
        }
    }

    /// Replaces the cached Application with one read from the server, which is at least as new as
    /// anything the watch has delivered.
    func refresh(_ object: KubeObject) {
        state.withLock { state in _ = Self.store(object, in: &state) }
    }

    func contains(_ key: ApplicationKey) -> Bool { state.withLock { $0.applications[key] != nil } }

    func key(forSet id: String) -> ApplicationKey? { state.withLock { $0.keysBySet[id] } }

    var keys: [ApplicationKey] { state.withLock { Array($0.applications.keys) } }
    var count: Int { state.withLock { $0.applications.count } }
    var isSynced: Bool { state.withLock { $0.synced } }

    /// How many Applications are in each `status.status` phase, for metrics.
    var phases: [String: Int] { state.withLock { $0.phases } }
}
