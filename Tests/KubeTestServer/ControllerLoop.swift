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
}

/// Runs the controllers every tick when something changed or a timed step is due. The core
/// ones (garbage collection, namespace deletion, CRD establishment) always run; the simulated
/// kube-controller-manager and kubelet only when the simulation is on.
final class ControllerLoop: Sendable {
    let registry: Registry
    let options: KubeTestServer.SimulationOptions
    private let eventLoop: any EventLoop
    private let state = Mutex(LoopState())
    private let memory = Mutex(SimulationMemory())

    private struct LoopState {
        var lastRevision = -1
        var nextWake: Date?
        var task: RepeatedTask?
        var running = false
    }

    init(registry: Registry, options: KubeTestServer.SimulationOptions, eventLoop: any EventLoop) {
        self.registry = registry
        self.options = options
        self.eventLoop = eventLoop
    }

    func start() {
        let tick = TimeAmount.nanoseconds(max(1_000_000, Self.nanoseconds(options.tick)))
        let task = eventLoop.scheduleRepeatedTask(initialDelay: tick, delay: tick) { [self] _ in self.tick() }
        state.withLock { $0.task = task }
    }

    func stop() {
        let task = state.withLock { state -> RepeatedTask? in
            defer { state.task = nil }
            return state.task
        }
        task?.cancel()
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    private func tick() {
        let revision = registry.store.revision
        let now = Date()
        let due = state.withLock { state -> Bool in
            let due = revision != state.lastRevision || (state.nextWake.map { now >= $0 } ?? false)
            if due { state.lastRevision = revision }
            return due
        }
        guard due else { return }
        var context = ControllerContext(registry: registry, now: now, options: options)
        memory.withLock { memory in
            CoreControllers.run(&context)
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
        state.withLock { $0.nextWake = context.nextWake }
    }
}

/// What a controller works with during one tick.
struct ControllerContext {
    let registry: Registry
    let now: Date
    let options: KubeTestServer.SimulationOptions
    private(set) var nextWake: Date?
    /// Events to record at the end of the tick.
    var pendingEvents: [EventSpec] = []

    init(registry: Registry, now: Date, options: KubeTestServer.SimulationOptions) {
        self.registry = registry
        self.now = now
        self.options = options
    }

    /// Asks for a tick at `date` even if nothing changes.
    mutating func wake(at date: Date) {
        guard date > now else { return }
        nextWake = min(nextWake ?? date, date)
    }

    func seconds(_ duration: Duration) -> TimeInterval {
        Double(ControllerLoop.nanoseconds(duration)) / 1_000_000_000
    }

    func list(_ resource: GroupResource, namespace: String? = nil) -> [JSONValue] {
        registry.objects(resource, namespace: namespace)
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
