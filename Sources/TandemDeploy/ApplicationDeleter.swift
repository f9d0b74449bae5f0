import KubeClient
import KubeModel

/// Deletes what an application owns: the members of its ApplySet, workloads before the
/// configuration they use (the reverse of the apply order), then the parent. Nothing else: an
/// object is deleted only if it carries the set's part-of label.
public struct ApplicationDeleter: Sendable {
    public var client: KubeClient
    public var concurrency = 16

    public init(client: KubeClient) {
        self.client = client
    }

    /// Deletes the members and the parent; returns what was deleted, in order. Throws when a
    /// delete fails, naming every failure (the parent is then kept, so that a retry finds the set).
    /// The garbage-collect and shared-resource policies the members were deployed with are
    /// honoured: members marked `never` stay, shared objects are left to who still shares them.
    public func delete(_ set: ApplySet, record: ApplySetRecord, parent: ObjectReference?,
                       deleted: @escaping @Sendable (ObjectReference) -> Void = { _ in }) async throws -> [ObjectReference] {
        let members = try await MemberListing(client: client, set: set).members(of: record, parentNamespace: set.parent.namespace)
        var collector = GarbageCollector(client: client, set: set, sharer: SharedResource.sharer(of: set))
        collector.concurrency = concurrency
        var done = try await collector.collect(members.mapValues { Optional($0) }, shared: record.policyState.shared.sorted(),
                                               occasion: .delete, deleted: deleted)
        if let parent {
            try await client.delete(parent, propagation: .background)
            done.append(parent)
            deleted(parent)
        }
        return done
    }

    /// Deletes `references` phase by phase, backwards (workloads before the configuration they
    /// use), each phase concurrently; throws naming every failure once all were tried.
    func deleteBackwards(_ references: [ObjectReference],
                         propagation: @escaping @Sendable (ObjectReference) -> PropagationPolicy = { _ in .background },
                         deleted: @escaping @Sendable (ObjectReference) -> Void) async throws -> [ObjectReference] {
        var byPhase: [ApplyPhase: [ObjectReference]] = [:]
        for reference in references { byPhase[ApplyPhase(reference.gvk.groupKind), default: []].append(reference) }
        var done: [ObjectReference] = []
        var failures: [(reference: ObjectReference, error: KubeError)] = []
        for phase in ApplyPhase.allCases.reversed() {
            guard let group = byPhase[phase]?.sorted() else { continue }
            let client = self.client
            let results = await concurrentMap(group, limit: concurrency) { reference -> KubeError? in
                do {
                    try await client.delete(reference, propagation: propagation(reference))
                    return nil
                } catch let error as KubeError {
                    return error
                } catch {
                    return .invalidResponse(request: "delete \(reference.kubectlName)", reason: String(describing: error))
                }
            }
            for (reference, error) in zip(group, results) {
                if let error { failures.append((reference, error)) } else { done.append(reference); deleted(reference) }
            }
        }
        if !failures.isEmpty { throw DeployError.pruneFailed(failures) }
        return done
    }

    /// Waits until no member of the set is left (finalizers and dependents done), watching each
    /// kind; false when `timeout` passed first.
    public func waitUntilGone(_ set: ApplySet, record: ApplySetRecord, timeout: Duration) async throws -> Bool {
        let namespaces = Set([set.parent.namespace].compactMap { $0 }).union(record.additionalNamespaces)
        var sources: [(APIResource, String?)] = []
        for groupKind in record.groupKinds.sorted() {
            guard let resource = try? await client.resource(for: groupKind) else { continue }
            if resource.namespaced { sources += namespaces.sorted().map { (resource, $0) } } else { sources.append((resource, nil)) }
        }
        let remaining = RemainingCount(sources: sources.count)
        let client = self.client
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            for (index, (resource, namespace)) in sources.enumerated() {
                group.addTask {
                    try await Reflector(client: client, resource: resource, namespace: namespace, labelSelector: set.memberSelector)
                        .run { snapshot in await remaining.set(index, snapshot.count) }
                    return false
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            group.addTask {
                await remaining.waitForZero()
                return true
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
    }
}

/// How many members each watched source still holds.
actor RemainingCount {
    private var counts: [Int: Int] = [:]
    private let sources: Int
    private var waiter: CheckedContinuation<Void, Never>?

    init(sources: Int) {
        self.sources = sources
    }

    func set(_ source: Int, _ count: Int) {
        counts[source] = count
        if isZero, let waiter {
            self.waiter = nil
            waiter.resume()
        }
    }

    private var isZero: Bool { counts.count == sources && counts.values.allSatisfy { $0 == 0 } }

    /// Returns when every source is empty, or when the task is cancelled.
    func waitForZero() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if isZero || Task.isCancelled { continuation.resume() } else { waiter = continuation }
            }
        } onCancel: {
            Task { await self.release() }
        }
    }

    private func release() {
        waiter?.resume()
        waiter = nil
    }
}
