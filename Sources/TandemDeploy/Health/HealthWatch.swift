import Foundation
import KubeClient
import KubeModel
import TandemJSON

/// Reads or follows an application's health: its members with a status (workloads, Services,
/// claims, custom resources), its pods, and the namespace's events. `snapshot` lists once;
/// `wait` keeps them current with watches and reassesses on every change.
public struct HealthWatch: Sendable {
    public var client: KubeClient
    public var inventory: Inventory
    public var namespace: String
    public var applySet: ApplySet

    public init(client: KubeClient, inventory: Inventory, namespace: String, applySet: ApplySet) {
        self.client = client
        self.inventory = inventory
        self.namespace = namespace
        self.applySet = applySet
    }

    /// One list or watch: a kind in a namespace, or the pods, or the events.
    struct Source: Sendable, Hashable {
        var gvk: GroupVersionKind
        var namespace: String?
        var selector: String?
        /// `metadata.name=NAME`, for an object read by name (read-only and shared-resource policies).
        var fieldSelector: String? = nil
    }

    var sources: [Source] {
        var sources: [Source] = []
        var seen: Set<Source> = []
        let named = Set(inventory.namedReferences)
        for reference in inventory.references
        where KindCatalog.entry(for: reference.gvk.groupKind).health.readsStatus {
            let source = named.contains(reference)
                ? Source(gvk: reference.gvk, namespace: reference.namespace, selector: nil, fieldSelector: "metadata.name=\(reference.name)")
                : Source(gvk: reference.gvk, namespace: reference.namespace, selector: applySet.memberSelector)
            if seen.insert(source).inserted { sources.append(source) }
        }
        // Pods and events where the workloads are: the application's namespace, and those its
        // topology policies deliver to.
        var namespaces = [namespace]
        for component in inventory.components where !component.containers.isEmpty {
            if let other = component.workload?.namespace, !namespaces.contains(other) { namespaces.append(other) }
        }
        if inventory.components.contains(where: { !$0.containers.isEmpty }) {
            for namespace in namespaces {
                sources.append(Source(gvk: .pod, namespace: namespace, selector: "\(LabelKeys.appName)=\(inventory.application)"))
            }
        }
        for namespace in namespaces { sources.append(Source(gvk: .event, namespace: namespace, selector: nil)) }
        return sources
    }

    /// The health now, from one list of each source.
    public func snapshot() async throws -> ApplicationHealth {
        let client = self.client
        let lists = try await withThrowingTaskGroup(of: (Source, [KubeObject]).self) { group in
            for source in sources {
                group.addTask {
                    do {
                        return (source, try await client.list(try await client.resource(for: source.gvk), namespace: source.namespace,
                                                              labelSelector: source.selector, fieldSelector: source.fieldSelector).items)
                    } catch let error as KubeError where Self.isMissingKind(error) {
                        return (source, [])
                    }
                }
            }
            var lists: [Source: [KubeObject]] = [:]
            for try await (source, items) in group { lists[source] = items }
            return lists
        }
        return assess(lists)
    }

    func assess(_ lists: [Source: [KubeObject]]) -> ApplicationHealth {
        var objects: [ObjectReference: KubeObject] = [:]
        var pods: [KubeObject] = []
        var events: [KubeObject] = []
        for (source, items) in lists {
            switch source.gvk {
            case .pod: pods += items
            case .event: events += items
            default: for item in items { objects[item.reference] = item }
            }
        }
        return ApplicationHealth.assess(inventory, namespace: namespace, objects: objects, pods: pods, events: events)
    }

    /// A kind the cluster no longer serves has nothing to show.
    public static func isMissingKind(_ error: KubeError) -> Bool {
        if case .configuration = error { return true }
        return error.isNotFound
    }

    public enum Outcome: Sendable {
        case healthy(ApplicationHealth)
        case failed(ApplicationHealth)
        case timedOut(ApplicationHealth)

        public var health: ApplicationHealth {
            switch self {
            case .healthy(let health), .failed(let health), .timedOut(let health): return health
            }
        }
    }

    /// Follows the application until it is healthy, something in it fails, or `timeout` passes;
    /// `update` hears every change of the assessment.
    public func wait(timeout: Duration, update: @escaping @Sendable (ApplicationHealth) async -> Void) async throws -> Outcome {
        try await watch(until: timeout, update: update)
    }

    /// Follows the application until cancelled (`status --watch`): `update` hears every change
    /// of the assessment, healthy or not.
    public func follow(update: @escaping @Sendable (ApplicationHealth) async -> Void) async throws {
        _ = try await watch(until: nil, update: update)
    }

    /// With a `timeout`, until the application settles (healthy or failed) or the time is up;
    /// without, until cancelled.
    private func watch(until timeout: Duration?, update: @escaping @Sendable (ApplicationHealth) async -> Void) async throws -> Outcome {
        let view = WatchedView(sources: sources)
        let client = self.client
        let deadline = timeout.map { ContinuousClock.now + $0 }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for source in sources {
                group.addTask {
                    do {
                        let resource = try await client.resource(for: source.gvk)
                        try await Reflector(client: client, resource: resource, namespace: source.namespace,
                                            labelSelector: source.selector, fieldSelector: source.fieldSelector).run { snapshot in
                            await view.update(source, Array(snapshot.values))
                        }
                    } catch let error as KubeError where Self.isMissingKind(error) {
                        await view.update(source, [])
                    } catch is CancellationError {
                    } catch {
                        await view.fail(error)
                    }
                }
            }
            // A tick each second: time-based rules (an unschedulable pod) and the deadline.
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(1))
                    await view.tick()
                }
            }
            defer { group.cancelAll() }
            var last: ApplicationHealth?
            for await lists in view.changes {
                if let error = await view.error { throw error }
                guard let lists else { continue }
                let health = assess(lists)
                if health != last {
                    last = health
                    await update(health)
                }
                guard let deadline else { continue }
                if health.isHealthy { return .healthy(health) }
                if health.hasFailed { return .failed(health) }
                if ContinuousClock.now >= deadline { return .timedOut(health) }
            }
            return .timedOut(last ?? assess([:]))
        }
    }
}

/// What the reflectors hold, published as a whole once every source has been listed.
actor WatchedView {
    private var lists: [HealthWatch.Source: [KubeObject]] = [:]
    private let expected: Int
    private(set) var error: (any Error)?
    nonisolated let changes: AsyncStream<[HealthWatch.Source: [KubeObject]]?>
    private let continuation: AsyncStream<[HealthWatch.Source: [KubeObject]]?>.Continuation

    init(sources: [HealthWatch.Source]) {
        expected = Set(sources).count
        (changes, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    func update(_ source: HealthWatch.Source, _ items: [KubeObject]) {
        lists[source] = items
        publish()
    }

    func tick() { publish() }

    func fail(_ error: any Error) {
        self.error = error
        continuation.yield(nil)
    }

    private func publish() {
        continuation.yield(lists.count >= expected ? lists : nil)
    }
}
