import Foundation
import KubeClient
import KubeModel
import TandemDeploy
import TandemJSON

/// A cluster as the dashboard shows it, kept by one reflector per kind, shared by every open
/// page: the parent Secrets `tandem up` writes, the controller's Application objects, the
/// applications' pods, the events, and each kind with a status that the applications'
/// inventories hold (started when an inventory first names it). Health is assessed from these
/// copies as `tandem status` assesses it from its lists. A controller-managed application's
/// inventory is read when its page is first asked for (and again when its spec changes), so
/// that its workloads, pods and containers are drawn as an `up`-deployed application's.
public actor ClusterData: DashboardData {
    /// Reads what a controller-managed Application object owns.
    public typealias InventoryReader = @Sendable (_ application: KubeObject) async throws -> Inventory

    let client: KubeClient
    /// Nil: every namespace (`-A`).
    let namespace: String?
    /// How often a kind the cluster does not serve is looked for again.
    let rediscovery: Duration
    let managedInventory: InventoryReader?

    /// What one reflector keeps.
    enum Stream: Hashable, Sendable {
        case parents, applications, pods, events
        case kind(GroupVersionKind)
    }

    private var parents: [ObjectReference: KubeObject] = [:]
    /// What each parent Secret says, read once per change of it (its inventory is base64 JSON).
    private var deployed: [ObjectReference: DeployedSet] = [:]
    private var applicationObjects: [ObjectReference: KubeObject] = [:]
    private var pods: [ObjectReference: KubeObject] = [:]
    private var events: [ObjectReference: KubeObject] = [:]
    private var objects: [ObjectReference: KubeObject] = [:]
    private var watchedKinds: Set<GroupVersionKind> = []
    private var unlisted: Set<Stream> = [.parents, .applications, .pods, .events]
    /// Who waits for the first lists: the application list (which needs no events) or a page.
    private var listWaiters: [(withEvents: Bool, continuation: CheckedContinuation<Void, Never>)] = []
    private var summaries: [ApplicationSummary]?
    private var failures: [Stream: String] = [:]
    /// Controller-managed applications' inventories, with the spec each was read for.
    private var managed: [ObjectReference: (spec: JSONValue, inventory: Inventory?, problem: String?)] = [:]
    /// The spec each application's inventory was last asked for.
    private var requested: [ObjectReference: JSONValue] = [:]
    private let inventoryRequests: AsyncStream<KubeObject>
    private let inventoryRequestsContinuation: AsyncStream<KubeObject>.Continuation
    private var feed: ChangeFeed?
    private let newKinds: AsyncStream<GroupVersionKind>
    private let newKindsContinuation: AsyncStream<GroupVersionKind>.Continuation

    public init(client: KubeClient, namespace: String?, rediscovery: Duration = .seconds(30), managedInventory: InventoryReader? = nil) {
        self.client = client
        self.namespace = namespace
        self.rediscovery = rediscovery
        self.managedInventory = managedInventory
        (newKinds, newKindsContinuation) = AsyncStream.makeStream()
        (inventoryRequests, inventoryRequestsContinuation) = AsyncStream.makeStream()
    }

    public func run(feed: ChangeFeed) async throws {
        self.feed = feed
        let newKinds = self.newKinds
        let inventoryRequests = self.inventoryRequests
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await application in inventoryRequests { await self.readInventory(of: application) }
            }
            group.addTask { await self.reflect(.parents, gvk: .secret, selector: ApplySet.idLabel) }
            group.addTask { await self.reflect(.applications, gvk: ControllerManagedApplication.gvk, selector: nil) }
            group.addTask { await self.reflect(.pods, gvk: .pod, selector: LabelKeys.appName) }
            group.addTask { await self.reflect(.events, gvk: .event, selector: nil) }
            for await gvk in newKinds {
                group.addTask { await self.reflect(.kind(gvk), gvk: gvk, selector: nil) }
            }
            group.cancelAll()
        }
    }

    /// Lists and watches one kind until cancelled. A kind the cluster does not serve is empty,
    /// and looked for again every `rediscovery`: the Application kind may be installed later.
    private nonisolated func reflect(_ stream: Stream, gvk: GroupVersionKind, selector: String?) async {
        // Ends the stream of new kinds once cancelled, so that `run` returns.
        await withTaskCancellationHandler {
            var missing = false
            while !Task.isCancelled {
                do {
                    let resource = try await client.resource(for: gvk)
                    try await Reflector(client: client, resource: resource, namespace: namespace, labelSelector: selector)
                        .run(persistent: true) { change in await self.apply(change, to: stream) }
                    return
                } catch let error as KubeError where HealthWatch.isMissingKind(error) {
                    if !missing { await apply(.listed([]), to: stream) }
                    missing = true
                    do { try await Task.sleep(for: rediscovery) } catch { return }
                    await client.forgetDiscovery()
                } catch is CancellationError {
                    return
                } catch {
                    await fail(stream, error)
                    return
                }
            }
        } onCancel: {
            newKindsContinuation.finish()
            inventoryRequestsContinuation.finish()
        }
    }

    private func apply(_ change: Reflector.Change, to stream: Stream) async {
        switch stream {
        case .parents:
            Self.apply(change, to: &parents)
            switch change {
            case .listed: deployed = parents.compactMapValues(DeployedSet.init(secret:))
            case .upserted(let secret): deployed[secret.reference] = DeployedSet(secret: secret)
            case .deleted(let secret): deployed[secret.reference] = nil
            }
            watchKinds()
        case .applications:
            Self.apply(change, to: &applicationObjects)
            if case .deleted(let application) = change {
                managed[application.reference] = nil
                requested[application.reference] = nil
            }
        case .pods: Self.apply(change, to: &pods)
        case .events: Self.apply(change, to: &events)
        case .kind(let gvk):
            // One dictionary holds every kind: a new list replaces only its own kind's objects.
            if case .listed(let items) = change {
                objects = objects.filter { $0.key.gvk != gvk }
                for item in items { objects[item.reference] = item }
            } else {
                Self.apply(change, to: &objects)
            }
        }
        failures[stream] = nil
        // The list's health words do not depend on events: thousands of them, and frequent.
        if stream != .events { summaries = nil }
        listed(stream)
        await feed?.publish()
    }

    private static func apply(_ change: Reflector.Change, to held: inout [ObjectReference: KubeObject]) {
        switch change {
        case .listed(let items): held = Dictionary(items.map { ($0.reference, $0) }, uniquingKeysWith: { $1 })
        case .upserted(let object): held[object.reference] = object
        case .deleted(let object): held[object.reference] = nil
        }
    }

    private func fail(_ stream: Stream, _ error: any Error) async {
        failures[stream] = "\(error)"
        listed(stream)
        await feed?.publish()
    }

    /// Starts a reflector for each kind with a status that an inventory names and none watches yet.
    private func watchKinds() {
        for set in deployed.values { watchKinds(of: set.inventory) }
    }

    private func watchKinds(of inventory: Inventory) {
        for reference in inventory.references where KindCatalog.entry(for: reference.gvk.groupKind).health.readsStatus {
            guard watchedKinds.insert(reference.gvk).inserted else { continue }
            unlisted.insert(.kind(reference.gvk))
            newKindsContinuation.yield(reference.gvk)
        }
    }

    /// Reads a controller-managed application's inventory; its page is drawn again once it is
    /// known. One that cannot be read leaves the page with the components from the status, and
    /// says why.
    private func readInventory(of application: KubeObject) async {
        guard let managedInventory else { return }
        var inventory: Inventory?
        var problem: String?
        do {
            inventory = try await managedInventory(application)
        } catch is CancellationError {
            return
        } catch {
            problem = "the objects of application \(application.name) cannot be found: \(error)"
        }
        managed[application.reference] = (application.json["spec"] ?? .null, inventory, problem)
        if let inventory { watchKinds(of: inventory) }
        await feed?.publish()
    }

    /// The inventory read for the application's current spec; asks for it when there is none.
    private func inventory(of application: KubeObject) -> Inventory? {
        let spec = application.json["spec"] ?? .null
        if let known = managed[application.reference], known.spec == spec { return known.inventory }
        guard managedInventory != nil, requested[application.reference] != spec else { return managed[application.reference]?.inventory }
        requested[application.reference] = spec
        inventoryRequestsContinuation.yield(application)
        // The inventory of the previous spec until the new one is read.
        return managed[application.reference]?.inventory
    }

    private func listed(_ stream: Stream) {
        guard unlisted.remove(stream) != nil else { return }
        let ready = listWaiters.filter { isListed(withEvents: $0.withEvents) }
        listWaiters.removeAll { isListed(withEvents: $0.withEvents) }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Whether every watch has listed once; without `withEvents`, every watch but the events'
    /// (the longest list: several events per pod).
    private func isListed(withEvents: Bool) -> Bool {
        withEvents ? unlisted.isEmpty : unlisted.subtracting([.events]).isEmpty
    }

    public func waitUntilListed() async {
        await waitUntilListed(withEvents: true)
    }

    public func waitUntilApplicationsListed() async {
        await waitUntilListed(withEvents: false)
    }

    private func waitUntilListed(withEvents: Bool) async {
        guard !isListed(withEvents: withEvents) else { return }
        await withCheckedContinuation { listWaiters.append((withEvents, $0)) }
    }

    // MARK: - What the pages read

    /// The pods of each application, by namespace and name.
    private struct Indexes {
        var pods: [String: [KubeObject]] = [:]
        var events: [String: [KubeObject]] = [:]

        static func key(_ namespace: String, _ name: String) -> String { namespace + "/" + name }
    }

    /// The list's assessment goes without events (`withEvents: false`): they tell messages, not health.
    private func indexes(withEvents: Bool = true) -> Indexes {
        var indexes = Indexes()
        for pod in pods.values {
            guard let application = pod.json[path: ["metadata", "labels", LabelKeys.appName]]?.string else { continue }
            indexes.pods[Indexes.key(pod.namespace ?? "default", application), default: []].append(pod)
        }
        for event in events.values where withEvents {
            guard let involved = event.json[path: ["involvedObject", "name"]]?.string else { continue }
            indexes.events[Indexes.key(event.namespace ?? "default", involved), default: []].append(event)
        }
        return indexes
    }

    /// The application's health from the held copies, with the pods and events it was assessed from.
    private func health(_ deployed: DeployedSet, _ indexes: Indexes) -> (ApplicationHealth, pods: [KubeObject], events: [KubeObject]) {
        health(deployed.inventory, name: deployed.name, namespace: deployed.namespace, indexes)
    }

    private func health(_ inventory: Inventory, name: String, namespace: String,
                        _ indexes: Indexes) -> (ApplicationHealth, pods: [KubeObject], events: [KubeObject]) {
        let pods = indexes.pods[Indexes.key(namespace, name)] ?? []
        var names = Set(inventory.references.map { Indexes.key($0.namespace ?? namespace, $0.name) })
        for pod in pods { names.insert(Indexes.key(pod.namespace ?? namespace, pod.name)) }
        let events = names.flatMap { indexes.events[$0] ?? [] }
        let health = ApplicationHealth.assess(inventory, namespace: namespace, objects: objects, pods: pods, events: events)
        return (health, pods, events)
    }

    public func applications() -> [ApplicationSummary] {
        if let summaries { return summaries }
        let indexes = indexes(withEvents: false)
        var list: [ApplicationSummary] = []
        for (reference, set) in deployed {
            guard let secret = parents[reference] else { continue }
            list.append(ApplicationSummary.commandLine(set, secret: secret, health: health(set, indexes).0))
        }
        list += applicationObjects.values.map(ApplicationSummary.controller)
        list.sort { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        summaries = list
        return list
    }

    public func application(namespace: String, name: String) -> JSONValue? {
        let indexes = indexes()
        if let found = deployed.first(where: { $0.value.namespace == namespace && $0.value.name == name }),
           let secret = parents[found.key] {
            let set = found.value
            let (health, pods, events) = health(set, indexes)
            var page = ApplicationPage(summary: ApplicationSummary.commandLine(set, secret: secret, health: health), health: health)
            page.pods = Dictionary(pods.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
            page.events = Self.newestFirst(events).map(ApplicationPage.event)
            page.workflow = SecretParent.workflow(of: secret)?.status
            return withFailures(page.json)
        }
        guard let object = applicationObjects.values.first(where: { $0.namespace == namespace && $0.name == name }) else { return nil }
        var page = ApplicationPage(summary: ApplicationSummary.controller(object), health: nil)
        var pods = indexes.pods[Indexes.key(namespace, name)] ?? []
        var events = indexes.events[Indexes.key(namespace, name)] ?? []
        if let inventory = inventory(of: object) {
            let assessed = health(inventory, name: name, namespace: namespace, indexes)
            page.health = assessed.0
            pods = assessed.pods
            events += assessed.events
        } else {
            events += pods.flatMap { indexes.events[Indexes.key(namespace, $0.name)] ?? [] }
        }
        page.pods = Dictionary(pods.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        page.events = Self.newestFirst(events).map(ApplicationPage.event)
        page.workflow = object.json[path: ["status", "workflow"]]
        page.services = object.json[path: ["status", "services"]]?.array ?? []
        return withFailures(page.json, managed[object.reference]?.problem)
    }

    /// A watch that cannot be kept (no permission to list a kind) is said on the page.
    private func withFailures(_ page: JSONValue, _ problem: String? = nil) -> JSONValue {
        let problems = failures.values.sorted() + [problem].compactMap { $0 }
        guard !problems.isEmpty else { return page }
        var page = page
        page["problems"] = .array(problems.map(JSONValue.string))
        return page
    }

    private static func newestFirst(_ events: [KubeObject]) -> [KubeObject] {
        Array(events.sorted { EventTime.of($0) > EventTime.of($1) }.prefix(50))
    }

    public nonisolated func logs(namespace: String, application: String, pod: String, container: String,
                                 line: @escaping @Sendable (String) async -> Void) async throws {
        // Only the application's own pods: the page cannot read any pod's log by naming it.
        guard let live = await self.pod(namespace: namespace, name: pod),
              live.json[path: ["metadata", "labels", LabelKeys.appName]]?.string == application else {
            throw DashboardRefusal(.notFound, "application \(application) has no pod \(pod) in namespace \(namespace)")
        }
        let request = KubeRequest(.get, "/api/v1/namespaces/\(namespace)/pods/\(pod)/log",
                                  query: [KubeRequest.QueryItem("container", container), KubeRequest.QueryItem("follow", "true"),
                                          KubeRequest.QueryItem("tailLines", "500")], isWatch: true)
        try await client.readLines(request, line: line)
    }

    private func pod(namespace: String, name: String) -> KubeObject? {
        pods.values.first { $0.namespace == namespace && $0.name == name }
    }
}
