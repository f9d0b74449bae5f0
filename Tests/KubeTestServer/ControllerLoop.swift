import Foundation
import NIOCore
import Synchronization
import TandemJSON

extension GroupResource {
    static let namespaces = GroupResource(group: "", resource: "namespaces")
    static let pods = GroupResource(group: "", resource: "pods")
    static let events = GroupResource(group: "", resource: "events")
    static let services = GroupResource(group: "", resource: "services")
    static let secrets = GroupResource(group: "", resource: "secrets")
    static let configMaps = GroupResource(group: "", resource: "configmaps")
    static let persistentVolumeClaims = GroupResource(group: "", resource: "persistentvolumeclaims")
    static let deployments = GroupResource(group: "apps", resource: "deployments")
    static let replicaSets = GroupResource(group: "apps", resource: "replicasets")
    static let statefulSets = GroupResource(group: "apps", resource: "statefulsets")
    static let daemonSets = GroupResource(group: "apps", resource: "daemonsets")
    static let jobs = GroupResource(group: "batch", resource: "jobs")
    static let customResourceDefinitions = GroupResource(group: "apiextensions.k8s.io", resource: "customresourcedefinitions")
}

/// What controllers remember between ticks that objects do not say to the millisecond: when
/// things started, which events were recorded.
struct SimulationMemory {
    var pods: [String: PodMemory] = [:]
    /// Deployment uid → when it last made progress (for progressDeadlineSeconds).
    var deploymentProgress: [String: (signature: String, at: Date)] = [:]
    /// Object uid → when a controller first saw it (for delays of LoadBalancers and PVCs).
    var firstSeen: [String: Date] = [:]
    /// Event name → how many times it was recorded.
    var eventCounts: [String: Int] = [:]
    /// Job uid → when its last pod failed (replacement pods wait a little).
    var jobFailures: [String: Date] = [:]
    /// Deployment uid → its pod template hash at a generation (hashing a template costs more than a sync).
    var templateHashes: [String: (generation: Int, hash: String)] = [:]
}

/// Runs the controllers every tick when something changed or a timed step is due. The core
/// ones (garbage collection, namespace deletion, CRD establishment) always run; the simulated
/// kube-controller-manager and kubelet only when the simulation is on.
///
/// As real controllers, a tick works on what changed: the objects changed since the last tick,
/// their owners, and those whose timed step is due. The first tick, and a change of a kind
/// that other objects depend on by name (a ConfigMap, a claim, a namespace, ...), make a full
/// pass over everything.
final class ControllerLoop: Sendable {
    let registry: Registry
    let options: KubeTestServer.SimulationOptions
    private let eventLoop: any EventLoop
    private let state = Mutex(LoopState())
    private let memory = Mutex(SimulationMemory())
    private let changes = ChangeCollector()

    private struct LoopState {
        var started = false
        var listener: Int?
        /// When objects asked to be looked at again, and when everything must be.
        var wakes: [ObjectKey: Date] = [:]
        var fullPassAt: Date?
        var task: RepeatedTask?
    }

    /// The kinds whose changes only concern themselves and their owners.
    private static let focusedKinds: Set<GroupResource> = [.pods, .replicaSets, .deployments, .events,
                                                            GroupResource(group: "coordination.k8s.io", resource: "leases")]

    init(registry: Registry, options: KubeTestServer.SimulationOptions, eventLoop: any EventLoop) {
        self.registry = registry
        self.options = options
        self.eventLoop = eventLoop
    }

    func start() {
        let listener = registry.store.addListener(changes) { _ in }
        let tick = TimeAmount.nanoseconds(max(1_000_000, Self.nanoseconds(options.tick)))
        let task = eventLoop.scheduleRepeatedTask(initialDelay: tick, delay: tick) { [self] _ in self.tick() }
        state.withLock { state in
            state.task = task
            state.listener = listener
        }
    }

    func stop() {
        let (task, listener) = state.withLock { state -> (RepeatedTask?, Int?) in
            defer { (state.task, state.listener) = (nil, nil) }
            return (state.task, state.listener)
        }
        task?.cancel()
        if let listener { registry.store.removeListener(listener) }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    private func tick() {
        let now = Date()
        let (started, wakes, fullPassDue) = state.withLock { ($0.started, $0.wakes, $0.fullPassAt.map { now >= $0 } ?? false) }
        let dueKeys = wakes.filter { $0.value <= now }.map(\.key)
        let changed = changes.drain()
        let fullPass = !started || fullPassDue
        guard fullPass || !changed.isEmpty || !dueKeys.isEmpty else { return }

        var focus: Set<ObjectKey>? = Set(dueKeys)
        var collect = false
        if fullPass {
            focus = nil
        } else {
            for change in changed {
                guard Self.focusedKinds.contains(change.key.resource) || registry.catalog.preferred(change.key.resource)?.isCustom == true
                else { focus = nil; break }
                focus?.insert(change.key)
                for object in [change.object, change.previous].compactMap({ $0 }) {
                    if let owner = controllerKey(of: object) { focus?.insert(owner) }
                }
                collect = collect || change.kind == .deleted || change.object.isDeleting || hasMissingOwner(change.object)
            }
        }

        var context = ControllerContext(registry: registry, now: now, options: options, focus: focus,
                                        wakes: focus == nil ? [:] : wakes)
        memory.withLock { memory in
            CoreControllers.run(&context, collectGarbage: focus == nil || collect)
            guard options.enabled else { return }
            Scheduler.run(&context)
            DeploymentController.run(&context, memory: &memory)
            ReplicaSetController.run(&context)
            StatefulSetController.run(&context)
            DaemonSetController.run(&context)
            JobController.run(&context, memory: &memory)
            Kubelet.run(&context, memory: &memory)
            ServiceController.run(&context, memory: &memory)
            VolumeController.run(&context, memory: &memory)
            EventRecorder.flush(&context, memory: &memory)
        }
        state.withLock { state in
            state.started = true
            state.wakes = context.wakes
            state.fullPassAt = context.fullPassAt
        }
    }

    /// The object's controlling owner, as a key.
    private func controllerKey(of object: JSONValue) -> ObjectKey? {
        guard let owner = object[path: ["metadata", "ownerReferences"]]?.array?.first(where: { $0["controller"]?.bool == true }),
              let apiVersion = owner["apiVersion"]?.string, let kind = owner["kind"]?.string, let name = owner["name"]?.string,
              let type = registry.catalog.find(apiVersion: apiVersion, kind: kind) else { return nil }
        return ObjectKey(resource: type.groupResource, namespace: type.namespaced ? object.namespace : "", name: name)
    }

    private func hasMissingOwner(_ object: JSONValue) -> Bool {
        let owners = object[path: ["metadata", "ownerReferences"]]?.array ?? []
        guard !owners.isEmpty else { return false }
        return registry.store.read { state in owners.contains { !state.exists(uid: $0["uid"]?.string ?? "") } }
    }
}

/// Gathers the store's changes between ticks (under the store's lock: it only appends).
private final class ChangeCollector: ChangeListener {
    private let changes = Mutex<[ChangeEvent]>([])

    func deliver(_ event: ChangeEvent) {
        changes.withLock { $0.append(event) }
    }

    func drain() -> [ChangeEvent] {
        changes.withLock { changes in
            defer { changes.removeAll(keepingCapacity: true) }
            return changes
        }
    }
}

/// What a controller works with during one tick.
struct ControllerContext {
    let registry: Registry
    let now: Date
    let options: KubeTestServer.SimulationOptions
    /// The objects to look at this tick; nil for all of them.
    let focus: Set<ObjectKey>?
    /// When objects asked to be looked at again; `fullPassAt` when everything must be.
    private(set) var wakes: [ObjectKey: Date]
    private(set) var fullPassAt: Date?
    /// The object being synced, whose timed steps `wake(at:)` records.
    private var subject: ObjectKey?
    /// Events to record at the end of the tick.
    var pendingEvents: [EventSpec] = []

    init(registry: Registry, now: Date, options: KubeTestServer.SimulationOptions, focus: Set<ObjectKey>? = nil,
         wakes: [ObjectKey: Date] = [:]) {
        self.registry = registry
        self.now = now
        self.options = options
        self.focus = focus
        self.wakes = wakes
    }

    var isFullPass: Bool { focus == nil }

    /// Asks for `body` to run for the current object again at `date` even if nothing changes.
    mutating func wake(at date: Date) {
        guard date > now else { return }
        if let subject {
            wakes[subject] = min(wakes[subject] ?? date, date)
        } else {
            fullPassAt = min(fullPassAt ?? date, date)
        }
    }

    /// Runs `body` for each object of `resource` this tick looks at (all, or the focused ones),
    /// in namespace and name order; `wake(at:)` in `body` concerns that object.
    mutating func sync(_ resource: GroupResource, _ body: (JSONValue, inout ControllerContext) -> Void) {
        let objects: [JSONValue]
        if let focus {
            let keys = focus.filter { $0.resource == resource }.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
            objects = registry.store.read { state in keys.compactMap { state.get($0) } }
        } else {
            objects = list(resource)
        }
        for object in objects {
            let key = Self.key(resource, object)
            subject = key
            wakes[key] = nil
            body(object, &self)
        }
        subject = nil
    }

    func seconds(_ duration: Duration) -> TimeInterval {
        Double(ControllerLoop.nanoseconds(duration)) / 1_000_000_000
    }

    func list(_ resource: GroupResource, namespace: String? = nil) -> [JSONValue] {
        registry.objects(resource, namespace: namespace)
    }

    /// The objects of `resource` that `owner` controls.
    func owned(_ resource: GroupResource, by owner: JSONValue) -> [JSONValue] {
        let uid = owner.uid
        return registry.store.read { $0.dependents(of: uid, resource) }.filter { $0.controllerUID == uid }
    }

    func get(_ resource: GroupResource, namespace: String, name: String) -> JSONValue? {
        registry.object(ObjectKey(resource: resource, namespace: namespace, name: name))
    }

    static func key(_ resource: GroupResource, _ object: JSONValue) -> ObjectKey {
        ObjectKey(resource: resource, namespace: object[path: ["metadata", "namespace"]]?.string ?? "",
                  name: object[path: ["metadata", "name"]]?.string ?? "")
    }

    /// Creates an object as a controller would; nil when refused (say, its namespace is going).
    @discardableResult
    func create(_ object: JSONValue, manager: String) -> JSONValue? {
        guard let apiVersion = object["apiVersion"]?.string, let kind = object["kind"]?.string,
              let type = registry.catalog.find(apiVersion: apiVersion, kind: kind) else { return nil }
        return try? registry.create(type, namespace: object[path: ["metadata", "namespace"]]?.string, body: object,
                                    options: WriteOptions(manager: manager))
    }

    /// Changes the object's status (through the status subresource) when it differs.
    @discardableResult
    func setStatus(_ resource: GroupResource, _ object: JSONValue, _ status: JSONValue, manager: String) -> JSONValue? {
        guard object["status"] != status else { return object }
        return registry.modify(Self.key(resource, object), manager: manager, subresource: "status") { $0["status"] = status }
    }

    @discardableResult
    func modify(_ resource: GroupResource, _ object: JSONValue, manager: String, _ change: (inout JSONValue) -> Void) -> JSONValue? {
        registry.modify(Self.key(resource, object), manager: manager, change)
    }

    func delete(_ resource: GroupResource, _ object: JSONValue, policy: String = "Background") {
        guard let type = registry.catalog.preferred(resource) else { return }
        var options = DeleteOptions()
        options.propagationPolicy = policy
        _ = try? registry.delete(type, namespace: object[path: ["metadata", "namespace"]]?.string,
                                 name: object[path: ["metadata", "name"]]?.string ?? "", options: options)
    }

    mutating func event(_ spec: EventSpec) { pendingEvents.append(spec) }
}

extension JSONValue {
    var uid: String { self[path: ["metadata", "uid"]]?.string ?? "" }
    var name: String { self[path: ["metadata", "name"]]?.string ?? "" }
    var namespace: String { self[path: ["metadata", "namespace"]]?.string ?? "" }
    var isDeleting: Bool { self[path: ["metadata", "deletionTimestamp"]] != nil }

    /// The owner reference that is this object's controller.
    var controllerUID: String? {
        self[path: ["metadata", "ownerReferences"]]?.array?.first { $0["controller"]?.bool == true }?["uid"]?.string
    }

    func isOwned(by owner: JSONValue) -> Bool { controllerUID == owner.uid && !owner.uid.isEmpty }

    /// An owner reference to this object as a controller.
    func controllerReference(apiVersion: String, kind: String) -> JSONValue {
        ["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name), "uid": .string(uid),
         "controller": true, "blockOwnerDeletion": true]
    }
}
