import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization
import TandemDeploy
import TandemKubeVela
import TandemRendering

/// How a controller runs.
public struct ControllerConfiguration: Sendable {
    /// Watch one namespace, or all (nil).
    public var namespace: String?
    /// Applications reconciled at once.
    public var concurrency: Int
    /// Every Application not reconciled for this long is looked at again, changed or not.
    public var resync: Duration
    /// While an Application rolls out, its status is rewritten at most this often (reaching
    /// `running`, or a failure, is written at once).
    public var progressInterval: Duration
    /// Take part in leader election (run only while holding the Lease).
    public var leaderElection: Bool
    public var leaseNamespace: String
    public var identity: String
    public var leaseTiming: LeaderElector.Timing
    /// `tandem/v0.2.0`, written on the ApplySet parents.
    public var tooling: String
    /// Who owns the fields of everything the controller writes: the Applications' objects,
    /// their status and ApplySet labels, Events, the Lease.
    public var fieldManager: String
    /// How long a new leader waits for its first lists before it reconciles anyway.
    public var cacheSyncTimeout: Duration
    /// How many revisions of each Application are kept (KubeVela's `--application-revision-limit`).
    public var revisionLimit = RevisionStore.defaultHistoryLimit

    public init(namespace: String? = nil, concurrency: Int = 8, resync: Duration = .seconds(600), progressInterval: Duration = .seconds(5),
                leaderElection: Bool = true,
                leaseNamespace: String = "tandem-system", identity: String = ProcessInfo.processInfo.hostName,
                leaseTiming: LeaderElector.Timing = LeaderElector.Timing(), tooling: String = "tandem",
                fieldManager: String = "tandem-controller", cacheSyncTimeout: Duration = .seconds(30)) {
        self.namespace = namespace
        self.concurrency = concurrency
        self.resync = resync
        self.progressInterval = progressInterval
        self.leaderElection = leaderElection
        self.leaseNamespace = leaseNamespace
        self.identity = identity
        self.leaseTiming = leaseTiming
        self.tooling = tooling
        self.fieldManager = fieldManager
        self.cacheSyncTimeout = cacheSyncTimeout
    }
}

/// The in-cluster controller: watches Applications and the objects they own, and reconciles
/// each Application through a work queue (de-duplicated keys, per-key back-off, a bounded
/// number at once, a periodic resync). With leader election, only the replica that holds the
/// Lease works; the others wait for it.
public final class Controller: Sendable {
    public let client: KubeClient
    public let configuration: ControllerConfiguration
    public let metrics: ControllerMetrics
    let logger: Logger
    let queue = WorkQueue<ApplicationKey>()
    let applications = ApplicationCache()
    let owned = OwnedObjects()
    let applied = AppliedStates()
    let warnings = WarningEvents()
    let definitions: DefinitionStore
    /// When each Application was last reconciled successfully, for the resync.
    private let reconciledAt = Mutex<[ApplicationKey: ContinuousClock.Instant]>([:])
    private let state = Mutex(RunState())

    private struct RunState {
        /// A watch for each kind an Application's ApplySet holds, started as kinds appear.
        var watches: [GroupKind: Task<Void, Never>] = [:]
        /// The first lists are in (or the wait for them gave up, for a kind the controller may
        /// not read): passes run.
        var cachesFilled = false
        var leading = false
        var stopping = false
        var acquiring: Task<Void, any Error>?
    }

    public init(client: KubeClient, configuration: ControllerConfiguration, metrics: ControllerMetrics = ControllerMetrics(),
                logger: Logger = Logger(label: "tandem.controller")) {
        self.client = client.managed(by: configuration.fieldManager)
        self.configuration = configuration
        definitions = DefinitionStore(controllerNamespace: configuration.leaseNamespace)
        self.metrics = metrics
        self.logger = logger
    }

    /// Ready: standing by for the Lease, or leading with every watch cache filled.
    public var isReady: Bool {
        state.withLock { !$0.leading || $0.cachesFilled }
    }

    public var isLeading: Bool { state.withLock { $0.leading } }

    /// Runs until `stop()`: waits for the Lease (with leader election), then watches and
    /// reconciles. Returns once in-flight reconciles have finished and the Lease is released;
    /// throws when leadership is lost.
    public func run() async throws {
        let elector = configuration.leaderElection
            ? LeaderElector(client: client, namespace: configuration.leaseNamespace, identity: configuration.identity,
                            timing: configuration.leaseTiming, logger: logger)
            : nil
        if let elector {
            let acquiring = Task { try await elector.acquire() }
            let stopping = state.withLock { state in
                state.acquiring = acquiring
                return state.stopping
            }
            if stopping { acquiring.cancel() }
            do {
                try await acquiring.value
            } catch is CancellationError {
                return
            }
        }
        state.withLock { $0.leading = true }
        defer {
            state.withLock { state in
                state.leading = false
                state.cachesFilled = false
            }
        }

        let reconciler = try await makeReconciler()
        let watches = Task { await self.watch() }
        let resync = Task { await self.resyncPeriodically() }
        let lost = Mutex<(any Error)?>(nil)
        let renewal = Task {
            do {
                try await elector?.holdLease()
            } catch is CancellationError {
                // Cancelled below once the workers are done: stopping, not losing the Lease.
            } catch {
                self.logger.error("\(error)")
                lost.withLock { $0 = error }
                await self.stop()
            }
        }
        // As controller-runtime's WaitForCacheSync: a pass before the caches are filled would
        // see no members and apply everything again once they are. The Applications come
        // first: the kinds their ApplySets hold are the kinds to watch.
        let syncDeadline = ContinuousClock.now + configuration.cacheSyncTimeout
        while !applications.isSynced, ContinuousClock.now < syncDeadline, !state.withLock({ $0.stopping }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
        // The definitions too: an Application rendered without them would fail until they came.
        while !definitions.isSynced, ContinuousClock.now < syncDeadline, !state.withLock({ $0.stopping }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let startupKinds = state.withLock { Array($0.watches.keys) }
        // A kind that cannot be listed (the controller may not read it) is not waited for.
        while !owned.isSyncedOrFailing(startupKinds), ContinuousClock.now < syncDeadline, !state.withLock({ $0.stopping }) {
            try? await Task.sleep(for: .milliseconds(20))
        }
        state.withLock { $0.cachesFilled = true }
        await withTaskGroup(of: Void.self) { workers in
            for _ in 0..<max(1, configuration.concurrency) {
                workers.addTask { await self.work(reconciler) }
            }
        }
        watches.cancel()
        resync.cancel()
        renewal.cancel()
        _ = await watches.result
        let kindWatches = state.withLock { state in
            defer { state.watches = [:] }
            return Array(state.watches.values)
        }
        for watch in kindWatches {
            watch.cancel()
            _ = await watch.result
        }
        await elector?.release()
        if let error = lost.withLock({ $0 }) { throw error }
    }

    /// Stops taking new work; reconciles in flight finish, then `run()` returns.
    public func stop() async {
        let acquiring = state.withLock { state in
            state.stopping = true
            return state.acquiring
        }
        acquiring?.cancel()
        await queue.shutDownQueue()
    }

    private func makeReconciler() async throws -> Reconciler {
        let version = try await client.version().kubeVersion ?? .newest
        let target = KubeVersion.target(for: version)?.version ?? .newest
        var reconciler = Reconciler(client: client, applications: applications, owned: owned,
                          pipeline: RenderPipeline(options: RenderOptions(kubeVersion: target, jobs: 1)), definitions: definitions,
                          events: EventRecorder(client: client), warnings: warnings, tooling: configuration.tooling,
                          watch: { await self.watch(kinds: $0) }, applied: applied,
                          pacing: StatusPacing(interval: configuration.progressInterval), logger: logger)
        reconciler.revisionLimit = configuration.revisionLimit
        return reconciler
    }

    private func work(_ reconciler: Reconciler) async {
        while let key = await queue.next() {
            let started = ContinuousClock.now
            let outcome = await reconciler.reconcile(key)
            switch outcome {
            case .done, .later:
                let exists = applications.contains(key)
                reconciledAt.withLock { $0[key] = exists ? ContinuousClock.now : nil }
                await queue.forget(key)
                metrics.reconciled(result: "success", duration: ContinuousClock.now - started)
                if case .later(let wait) = outcome { await queue.addBatched(key, window: wait) }
            case .retry:
                await queue.retry(key)
                metrics.reconciled(result: "error", duration: ContinuousClock.now - started)
            }
            await queue.done(key)
            metrics.queueDepth(await queue.depth)
            metrics.applications(byPhase: applications.phases)
        }
    }

    /// Every `resync`, every Application not looked at since the last one: level-based, a
    /// missed event is repaired, and applications busy anyway are not queued twice over.
    private func resyncPeriodically() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: configuration.resync) } catch { return }
            let due = ContinuousClock.now - configuration.resync
            let recent = reconciledAt.withLock { $0 }
            for key in applications.keys where (recent[key] ?? due) <= due { await queue.add(key) }
            metrics.applications(byPhase: applications.phases)
        }
    }

    /// The watches: Applications (and, as they name them, the kinds of the objects they own),
    /// and their pods.
    private func watch() async {
        let namespace = configuration.namespace
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await self.reflect(ApplicationKey.gvk, namespace: namespace, selector: nil, keep: Trimming.application) { change in
                    await self.watch(kinds: Self.ownedKinds(in: change))
                    for key in self.applications.apply(change) { await self.queue.add(key) }
                }
            }
            for kind in DefinitionStore.kinds {
                group.addTask { await self.watchDefinitions(kind) }
            }
            group.addTask {
                // Warnings only: they are what health names, and what is worth keeping.
                await self.reflect(.event, namespace: namespace, selector: nil, fields: "type=Warning", keep: Trimming.event) { change in
                    var keys: Set<ApplicationKey> = []
                    for (namespace, pod) in self.warnings.apply(change) {
                        guard let group = self.owned.group(ofPod: pod, namespace: namespace) else { continue }
                        keys.insert(ApplicationKey(namespace: group.namespace, name: group.application))
                    }
                    for key in keys where self.applications.contains(key) { await self.queue.add(key) }
                }
            }
            group.addTask {
                await self.reflect(.pod, namespace: namespace, selector: LabelKeys.appName, keep: Trimming.pod) { change in
                    for group in self.owned.applyPod(change) {
                        let key = ApplicationKey(namespace: group.namespace, name: group.application)
                        if self.applications.contains(key) { await self.queue.add(key) }
                    }
                }
            }
        }
    }

    /// Definitions of one kind, in every namespace (the ClusterRole lets the controller read
    /// them): a change reconciles the Applications that see it and use it.
    private func watchDefinitions(_ kind: DefinitionKind) async {
        // A cluster without the CRD has none of them: not waited for, and looked for again
        // now and then, quietly (tandem install adds the CRDs; a controller may run without them).
        while !Task.isCancelled {
            do {
                _ = try await client.resource(for: DefinitionStore.gvk(kind))
                break
            } catch KubeError.configuration {
                definitions.markUnavailable(kind)
                do { try await Task.sleep(for: .seconds(30)) } catch { return }
                await client.forgetDiscovery()
            } catch {
                break  // anything else: the watch below says it and retries
            }
        }
        await reflect(DefinitionStore.gvk(kind), namespace: nil, selector: nil, keep: { $0 },
                      failed: { self.definitions.markUnavailable(kind) }) { change in
            let touched = self.definitions.apply(change, kind: kind)
            for key in self.applications.keys {
                guard let (application, _) = self.applications.entry(key) else { continue }
                let concerned = touched.contains { changed in
                    self.definitions.concerns(changed.namespace, applicationNamespace: key.namespace)
                        && DefinitionStore.uses(application, changed.name)
                }
                if concerned { await self.queue.add(key) }
            }
        }
    }

    /// The kinds the ApplySets of changed Applications hold.
    static func ownedKinds(in change: Reflector.Change) -> Set<GroupKind> {
        switch change {
        case .listed(let items): return Set(items.flatMap { ApplySetRecord(parent: $0).groupKinds })
        case .upserted(let application): return ApplySetRecord(parent: application).groupKinds
        case .deleted: return []
        }
    }

    /// Starts watching the objects of `kinds` that carry an ApplySet label, unless watched
    /// already. A kind the server does not serve (yet) is skipped: a later pass asks again.
    func watch(kinds: Set<GroupKind>) async {
        let namespace = configuration.namespace
        for kind in kinds.sorted() where !state.withLock({ $0.watches[kind] != nil || $0.stopping }) {
            guard let resource = try? await client.resource(for: kind) else { continue }
            state.withLock { state in
                guard state.watches[kind] == nil, !state.stopping else { return }
                state.watches[kind] = Task {
                    await self.reflect(resource.gvk, namespace: namespace, selector: ApplySet.partOfLabel, keep: Trimming.owned,
                                       failed: { self.owned.failedToList(kind) }) { change in
                        let (affected, lost) = self.owned.apply(change, kind: kind)
                        for id in affected {
                            guard let key = self.applications.key(forSet: id) else { continue }
                            // A member gone: apply again, whatever the digest says.
                            if lost.contains(id) { self.applied.withLock { $0[key] = nil } }
                            await self.queue.add(key)
                        }
                    }
                }
            }
        }
    }

    private func reflect(_ gvk: GroupVersionKind, namespace: String?, selector: String?, fields: String? = nil,
                         keep: @escaping @Sendable (KubeObject) -> KubeObject, failed: @escaping @Sendable () -> Void = {},
                         onChange: @escaping @Sendable (Reflector.Change) async -> Void) async {
        while !Task.isCancelled {
            do {
                let resource = try await client.resource(for: gvk)
                try await Reflector(client: client, resource: resource, namespace: namespace, labelSelector: selector, fieldSelector: fields,
                              transform: keep)
                    .run(persistent: true, onChange: onChange)
                return
            } catch is CancellationError {
                return
            } catch {
                logger.warning("watch failed; starting it again", metadata: ["kind": "\(gvk.kind)", "error": "\(error)"])
                failed()
                try? await Task.sleep(for: .seconds(2))
            }
        }
    }
}
