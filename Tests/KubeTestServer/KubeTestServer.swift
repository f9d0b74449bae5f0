import Foundation
import KubeModel
import NIOCore
import NIOPosix
import NIOSSL
import TandemJSON

/// A Kubernetes API server for tests, on loopback, in memory, that kubectl accepts as real.
///
/// What it does:
/// - Discovery (`/version`, `/api`, `/apis`, group and group-version documents, aggregated
///   discovery v2 and v2beta1) and the OpenAPI v3 documents kubectl needs for server-side field
///   validation, for the built-in resources (core: namespaces, nodes, services, endpoints,
///   configmaps, secrets, serviceaccounts, persistentvolumeclaims, pods, events; apps; batch;
///   networking.k8s.io; rbac; autoscaling/v2; policy/v1; coordination.k8s.io; storage.k8s.io;
///   apiextensions.k8s.io) and for the resources of every stored CRD.
/// - CRUD with real semantics: uid, a global resourceVersion counter, generation, creation
///   timestamps, defaults of the common kinds, name and workload validation, optimistic
///   concurrency (409), AlreadyExists, objects refused in missing or terminating namespaces,
///   status and scale subresources, label and field selectors, `limit`/`continue` paging,
///   `resourceVersionMatch=Exact`, dry runs, server-side printing (Tables) for `kubectl get`.
/// - Server-side apply with field ownership in `managedFields` (FieldsV1), associative lists of
///   the built-in types, conflicts worded as the apiserver words them, `force`, removal of fields
///   an applier stops applying; merge, strategic merge and JSON patches recording Update managers.
/// - Watches from a resourceVersion (410 Expired when too old), with ADDED for current objects
///   from none or `0`, selector-aware DELETED/ADDED, bookmarks, `timeoutSeconds`.
/// - Deletion with finalizers, Foreground/Background/Orphan garbage collection through owner
///   references, namespace deletion, CRD establishment and clean-up.
/// - Authentication by bearer token or client certificate (CN), anonymous when neither is set up.
/// - Simulated controllers and kubelet (``SimulationOptions``): Deployments, ReplicaSets,
///   StatefulSets, DaemonSets, Jobs, pods with container states and events, LoadBalancer
///   ingress, PVC binding. Behaviour follows the objects' content:
///   * image on the host `unpullable.invalid` → `ErrImagePull`, then `ImagePullBackOff`;
///   * a command or args containing `exit N` (N ≠ 0) → crash loop (`CrashLoopBackOff`, growing
///     restartCount, `BackOff` events); `exit 0` → Completed (restarted under `restartPolicy: Always`);
///   * in pods that run to completion (`restartPolicy` Never/OnFailure), the first container
///     exits 0 after ``SimulationOptions/runDuration``; others, and any container whose command
///     mentions `sleep infinity`, run until stopped;
///   * a container without a readiness probe is ready once it runs; with one, after
///     ``SimulationOptions/readinessDelay``; a readiness probe whose exec command contains `false`
///     or `exit 1`, or whose httpGet path contains `fail` → running but never ready (`Unhealthy` events);
///     a pod annotated `kube-test-server/unready: "true"` fails its main containers' readiness
///     probes the same way until the annotation is removed (tests make pods turn ready with it);
///   * as real controllers, each tick works on the objects changed since the last (with their
///     owners) and those whose timed step is due; a change of another kind (a ConfigMap, a
///     claim, a namespace) makes a pass over everything;
///   * env or envFrom referring to a missing Secret/ConfigMap or key → `CreateContainerConfigError`;
///   * a volume of a missing Secret or ConfigMap → `ContainerCreating` with `FailedMount` events;
///     a missing or unbound PVC → unschedulable (`FailedScheduling`);
///   * a Service of type LoadBalancer gets `192.0.2.10` unless annotated
///     `kube-test-server/no-load-balancer: "true"`; a PVC binds unless its storageClassName is
///     `never-binds`.
/// - Fault injection (``Fault``) and a log of requests (``RecordedRequest``).
///
/// What it does not emulate: admission webhooks and admission plugins (ServiceAccount,
/// LimitRanger, quotas), RBAC authorization (every authenticated user may do everything),
/// OpenAPI schemas (no `kubectl explain`, no client-side validation, no unknown-field detection
/// for `fieldValidation=Strict`, no pruning of unknown fields, no structural defaulting of
/// custom resources, no `x-kubernetes-list-type` of CRD schemas: their lists are atomic),
/// defaults beyond the common fields, most field validation, protobuf and CBOR (JSON only,
/// except the protobuf bodies of `kubectl create namespace|configmap|secret|serviceaccount`;
/// `kubectl create deployment` and other typed creates get 415; YAML request bodies are
/// refused), strategic merge patch directives other than
/// `$patch` and `$deleteFromPrimitiveList`, version conversion (an object is stored as written
/// and served with the requested apiVersion), graceful deletion (pods go at once),
/// real scheduling (one node, `node-1`), endpoints and EndpointSlices, HPA, CronJob schedules,
/// ReplicationControllers, containers behind exec and port-forward (the test's handlers answer
/// them) and their SPDY transport (WebSocket only: kubectl port-forward, which tunnels SPDY, does
/// not work), logs the containers write themselves (the test writes them), leader election, API priority and
/// fairness, audit, `kubectl edit`'s last-applied client-side apply annotations beyond storing them.
public final class KubeTestServer: Sendable {
    /// `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`.
    public let url: String
    public let port: Int
    public let options: Options

    let registry: Registry
    private let core: ServerCore
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let connections: ConnectionSet
    private let controllers: ControllerLoop

    private init(url: String, port: Int, options: Options, registry: Registry, core: ServerCore,
                 group: MultiThreadedEventLoopGroup, channel: any Channel, connections: ConnectionSet, controllers: ControllerLoop) {
        self.url = url
        self.port = port
        self.options = options
        self.registry = registry
        self.core = core
        self.group = group
        self.channel = channel
        self.connections = connections
        self.controllers = controllers
    }

    /// Starts a server on 127.0.0.1 (`port` 0: a free port).
    public static func start(_ options: Options = Options(), port: Int = 0) async throws -> KubeTestServer {
        let store = Store(historyLimit: options.watchHistoryLimit)
        let catalog = ResourceCatalog()
        let registry = Registry(store: store, catalog: catalog)
        try Seed.initialObjects(into: registry)
        let tls = try options.tls.map(TLSSetup.context)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let authenticator = Authenticator(tokens: options.tokens, verifiesClientCertificates: options.tls?.clientCAPath != nil)
        let logs = PodLogs()
        _ = store.addListener(logs) { _ in }
        let handlers = Handlers(registry: registry, logs: logs, gitVersion: options.version, serverAddress: "127.0.0.1:\(port)")
        let core = ServerCore(handlers: handlers, store: store, authenticator: authenticator, bookmarkInterval: options.bookmarkInterval)
        let connections = ConnectionSet()
        let channel: any Channel
        do {
            channel = try await HTTPServerBootstrap.bind(group: group, host: "127.0.0.1", port: port, tls: tls, core: core,
                                                         connections: connections)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        let boundPort = channel.localAddress?.port ?? port
        let controllers = ControllerLoop(registry: registry, options: options.simulation, eventLoop: group.next())
        controllers.start()
        let scheme = tls == nil ? "http" : "https"
        return KubeTestServer(url: "\(scheme)://127.0.0.1:\(boundPort)", port: boundPort, options: options, registry: registry,
                              core: core, group: group, channel: channel, connections: connections, controllers: controllers)
    }

    /// Stops listening, closes every connection (watches end without a final chunk) and the controllers.
    public func shutdown() async throws {
        controllers.stop()
        try? await channel.close()
        await connections.closeAll()
        try await group.shutdownGracefully()
    }

    /// Writes a line to the log of a container's current run, which `pods/NAME/log` serves (and
    /// sends to its followers). When the container restarts (its restartCount grows), the lines
    /// so far become its `previous=true` log.
    public func appendLog(namespace: String, pod: String, container: String, _ line: String) {
        core.handlers.logs.append(PodLogs.Key(namespace: namespace, pod: pod, container: container), line)
    }

    /// Runs the commands of `pods/NAME/exec` requests (no container runs here): the handler gets
    /// the pod, container, command and standard input, and says what it printed and its exit code.
    public func handleExec(_ handler: @escaping @Sendable (ExecCall) -> ExecResult) {
        core.exec.set(handler)
    }

    /// Where `pods/NAME/portforward` connects (no container listens here): the handler gets the
    /// pod's namespace, name and port and answers a port on 127.0.0.1, or nil for nothing there.
    public func handlePortForward(_ handler: @escaping @Sendable (_ namespace: String, _ pod: String, _ port: Int) -> Int?) {
        core.portForwards.set(handler)
    }

    /// The current resourceVersion (the global counter).
    public var resourceVersion: Int { registry.store.revision }

    // MARK: - State

    /// Stores an object as if manager `test` had created it (replacing any existing one): server-set
    /// metadata and defaults are added; a `status` given is kept. The namespace defaults to
    /// `default` and need not exist.
    public func insert(_ object: JSONValue) async throws {
        _ = try registry.insert(object, manager: "test")
    }

    /// An object as stored, or nil.
    public func object(apiVersion: String, kind: String, namespace: String?, name: String) async -> JSONValue? {
        guard let type = registry.catalog.find(apiVersion: apiVersion, kind: kind) else { return nil }
        return try? registry.get(type, namespace: namespace, name: name)
    }

    /// The objects of a kind in a namespace (all namespaces when nil), ordered by namespace and name.
    public func objects(apiVersion: String, kind: String, namespace: String?) async -> [JSONValue] {
        guard let type = registry.catalog.find(apiVersion: apiVersion, kind: kind) else { return [] }
        return registry.objects(type.groupResource, namespace: type.namespaced ? namespace : nil).map { registry.present($0, as: type) }
    }

    /// Every request so far, in the order they were answered.
    public func requests() async -> [RecordedRequest] { core.log.all }

    public func resetRequests() async { core.log.reset() }

    /// Adds a fault; faults are tried in the order added, each for its number of `times`.
    public func inject(_ fault: Fault) async { core.faults.add(fault) }

    public func clearFaults() async { core.faults.clear() }

    // MARK: - Kubeconfig

    /// How a kubeconfig authenticates.
    public enum KubeconfigUser: Sendable {
        /// No credentials (the server must allow anonymous requests).
        case anonymous
        case token(String)
        /// PEM files of a client certificate and its key.
        case clientCertificate(certificatePath: String, keyPath: String)
    }

    /// Writes a kubeconfig for this server (context `kube-test-server`, namespace `default`).
    /// For HTTPS, `certificateAuthorityPath` is the CA that signed the server certificate
    /// (without it the kubeconfig says `insecure-skip-tls-verify: true`). Note that kubectl
    /// (client-go) sends bearer tokens over HTTPS only.
    public func writeKubeconfig(to path: String, user: KubeconfigUser = .anonymous, certificateAuthorityPath: String? = nil,
                                namespace: String = "default") throws {
        try Kubeconfig.text(server: url, user: user, certificateAuthorityPath: certificateAuthorityPath, namespace: namespace)
            .write(toFile: path, atomically: true, encoding: .utf8)
    }
}
