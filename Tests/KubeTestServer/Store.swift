import Synchronization
import TandemJSON

/// Where an object is kept: its group and resource, namespace ("" when cluster-scoped) and name.
struct ObjectKey: Hashable, Sendable, CustomStringConvertible {
    var resource: GroupResource
    var namespace: String
    var name: String

    var description: String { "\(resource)/\(namespace.isEmpty ? "" : namespace + "/")\(name)" }
}

/// One change, as history keeps it and watches replay it.
struct ChangeEvent: Sendable {
    enum Kind: String, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED" }

    var revision: Int
    var kind: Kind
    var key: ObjectKey
    /// The new state; for a deletion, the last state (with the deletion's resourceVersion).
    var object: JSONValue
    /// The state before a modification, so that watches with selectors can tell objects that
    /// stopped matching.
    var previous: JSONValue?
}

/// Receives changes as they are committed. Called with the store locked, in commit order: it
/// must only queue the event, never call back into the store.
protocol ChangeListener: AnyObject, Sendable {
    func deliver(_ event: ChangeEvent)
}

/// The state of the store; mutations go through `Store.write`, which commits their events.
struct StoreState {
    /// The global resourceVersion counter: the revision of the last change.
    fileprivate(set) var revision: Int
    fileprivate var objects: [GroupResource: [String: JSONValue]] = [:]
    /// Owner uid → the objects whose ownerReferences name it (kept after the owner goes, for the
    /// garbage collector); and uid → object, to tell whether an owner still exists.
    fileprivate var dependents: [String: Set<ObjectKey>] = [:]
    fileprivate var uids: [String: ObjectKey] = [:]
    fileprivate var history: [ChangeEvent] = []
    /// Changes at or before this revision are no longer in `history`.
    fileprivate(set) var compactedRevision: Int
    fileprivate var listeners: [Int: any ChangeListener] = [:]
    fileprivate var nextListenerID = 1
    fileprivate var pending: [ChangeEvent] = []
    fileprivate let historyLimit: Int

    fileprivate init(revision: Int, historyLimit: Int) {
        self.revision = revision
        self.compactedRevision = revision
        self.historyLimit = max(1, historyLimit)
    }

    private static func slot(_ key: ObjectKey) -> String { key.namespace + "/" + key.name }

    func get(_ key: ObjectKey) -> JSONValue? { objects[key.resource]?[Self.slot(key)] }

    /// The objects of a resource, in one namespace or all (`nil`), ordered by namespace and name.
    func list(_ resource: GroupResource, namespace: String?) -> [JSONValue] {
        guard let bucket = objects[resource] else { return [] }
        let prefix = namespace.map { $0 + "/" }
        return bucket.keys.sorted().compactMap { slot in
            if let prefix, !slot.hasPrefix(prefix) { return nil }
            return bucket[slot]
        }
    }

    /// Every stored key of a resource (or all resources when `nil`).
    func keys(_ resource: GroupResource? = nil) -> [ObjectKey] {
        var result: [ObjectKey] = []
        for (group, bucket) in objects where resource == nil || resource == group {
            for slot in bucket.keys {
                let parts = slot.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
                result.append(ObjectKey(resource: group, namespace: String(parts[0]), name: String(parts.count > 1 ? parts[1] : "")))
            }
        }
        return result
    }

    var resources: [GroupResource] { Array(objects.keys) }

    /// The objects whose ownerReferences name `uid`, of one resource.
    func dependents(of uid: String, _ resource: GroupResource) -> [JSONValue] {
        (dependents[uid] ?? []).compactMap { $0.resource == resource ? get($0) : nil }
    }

    /// True when an object with this uid is stored.
    func exists(uid: String) -> Bool { uids[uid] != nil }

    private mutating func index(_ key: ObjectKey, old: JSONValue?, new: JSONValue?) {
        let (oldUID, newUID) = (old?[path: ["metadata", "uid"]]?.string, new?[path: ["metadata", "uid"]]?.string)
        if oldUID != newUID {
            if let oldUID { uids[oldUID] = nil }
            if let newUID { uids[newUID] = key }
        }
        let before = Self.ownerUIDs(old), after = Self.ownerUIDs(new)
        guard before != after else { return }
        for uid in before where !after.contains(uid) {
            dependents[uid]?.remove(key)
            if dependents[uid]?.isEmpty == true { dependents[uid] = nil }
        }
        for uid in after where !before.contains(uid) { dependents[uid, default: []].insert(key) }
    }

    private static func ownerUIDs(_ object: JSONValue?) -> [String] {
        object?[path: ["metadata", "ownerReferences"]]?.array?.compactMap { $0["uid"]?.string } ?? []
    }

    private mutating func stamp(_ object: JSONValue) -> JSONValue {
        revision += 1
        var stamped = object
        stamped[path: ["metadata", "resourceVersion"]] = .string(String(revision))
        return stamped
    }

    /// Stores a new object under the next revision; returns it as stored.
    @discardableResult
    mutating func create(_ key: ObjectKey, _ object: JSONValue) -> JSONValue {
        let stored = stamp(object)
        index(key, old: get(key), new: stored)
        objects[key.resource, default: [:]][Self.slot(key)] = stored
        pending.append(ChangeEvent(revision: revision, kind: .added, key: key, object: stored, previous: nil))
        return stored
    }

    /// Replaces an object under the next revision; returns it as stored.
    @discardableResult
    mutating func update(_ key: ObjectKey, _ object: JSONValue) -> JSONValue {
        let previous = get(key)
        let stored = stamp(object)
        index(key, old: previous, new: stored)
        objects[key.resource, default: [:]][Self.slot(key)] = stored
        pending.append(ChangeEvent(revision: revision, kind: previous == nil ? .added : .modified, key: key,
                                   object: stored, previous: previous))
        return stored
    }

    /// Removes an object; the DELETED event carries its last state under the deletion's revision.
    @discardableResult
    mutating func remove(_ key: ObjectKey) -> JSONValue? {
        guard let existing = objects[key.resource]?.removeValue(forKey: Self.slot(key)) else { return nil }
        index(key, old: existing, new: nil)
        let last = stamp(existing)
        pending.append(ChangeEvent(revision: revision, kind: .deleted, key: key, object: last, previous: existing))
        return last
    }

    fileprivate mutating func commit() {
        guard !pending.isEmpty else { return }
        for event in pending {
            for listener in listeners.values { listener.deliver(event) }
        }
        history.append(contentsOf: pending)
        pending.removeAll()
        // Drop old history in batches, so that trimming stays cheap.
        if history.count > historyLimit + historyLimit / 4 + 1 {
            let drop = history.count - historyLimit
            compactedRevision = history[drop - 1].revision
            history.removeFirst(drop)
        }
    }

    /// The changes after `revision`, or nil when some of them are no longer kept.
    func changes(after revision: Int) -> [ChangeEvent]? {
        guard revision >= compactedRevision else { return nil }
        // Revisions increase along the history: find the first later one by bisection.
        var (low, high) = (0, history.count)
        while low < high {
            let middle = (low + high) / 2
            if history[middle].revision > revision { high = middle } else { low = middle + 1 }
        }
        return Array(history[low...])
    }

    /// The objects of a resource as they were at `revision` (undoing later changes), or nil
    /// when that revision is no longer kept.
    func list(_ resource: GroupResource, namespace: String?, at revision: Int) -> [JSONValue]? {
        guard let later = changes(after: revision) else { return nil }
        var bucket = objects[resource] ?? [:]
        for event in later.reversed() where event.key.resource == resource {
            let slot = Self.slot(event.key)
            switch event.kind {
            case .added: bucket[slot] = nil
            case .modified, .deleted: bucket[slot] = event.previous
            }
        }
        let prefix = namespace.map { $0 + "/" }
        return bucket.keys.sorted().compactMap { slot in
            if let prefix, !slot.hasPrefix(prefix) { return nil }
            return bucket[slot]
        }
    }
}

/// The objects, the resourceVersion counter, the change history and the watchers, behind one lock.
final class Store: Sendable {
    private let state: Mutex<StoreState>

    init(historyLimit: Int, initialRevision: Int = 1000) {
        state = Mutex(StoreState(revision: initialRevision, historyLimit: historyLimit))
    }

    /// Runs `body` with the store locked; commits its changes (history, watchers) even when it throws
    /// after making some, as a real server's writes are each atomic.
    func write<T: Sendable, E: Error>(_ body: (inout StoreState) throws(E) -> T) throws(E) -> T {
        try state.withLock { (state: inout StoreState) throws(E) -> T in
            defer { state.commit() }
            return try body(&state)
        }
    }

    func read<T: Sendable, E: Error>(_ body: (borrowing StoreState) throws(E) -> T) throws(E) -> T {
        try state.withLock { (state: inout StoreState) throws(E) -> T in try body(state) }
    }

    var revision: Int { state.withLock { $0.revision } }

    /// Registers a listener; `start` runs under the same lock first, so that what it sends
    /// (initial objects, replayed history) and what the listener receives later leave no gap.
    func addListener<E: Error>(_ listener: any ChangeListener, start: (borrowing StoreState) throws(E) -> Void) throws(E) -> Int {
        try state.withLock { (state: inout StoreState) throws(E) -> Int in
            try start(state)
            let id = state.nextListenerID
            state.nextListenerID += 1
            state.listeners[id] = listener
            return id
        }
    }

    func removeListener(_ id: Int) {
        _ = state.withLock { $0.listeners.removeValue(forKey: id) }
    }

    /// Runs `body` under the lock, for senders that must order a message among committed changes.
    func synchronized<T: Sendable>(_ body: (borrowing StoreState) -> T) -> T {
        state.withLock { body($0) }
    }
}
