import Foundation

extension KubeTestServer {
    /// How the server is set up.
    public struct Options: Sendable {
        /// The `gitVersion` served at `/version` (`v1.31.0`; `1.31` means `v1.31.0`); `major` and
        /// `minor` are derived from it.
        public var version: String
        /// Serve HTTPS with these files; nil serves plain HTTP.
        public var tls: TLSFiles?
        /// Bearer token → user name. With no tokens and no client CA, anonymous requests are
        /// allowed (user `system:anonymous`); otherwise unauthenticated requests get 401.
        public var tokens: [String: String]
        /// The simulated controllers and kubelet.
        public var simulation: SimulationOptions
        /// How many changes are kept for watches to resume from; an older resourceVersion gets
        /// 410 Expired (`too old resource version: X (Y)`).
        public var watchHistoryLimit: Int
        /// How often watches that allow bookmarks get a BOOKMARK with the current resourceVersion;
        /// nil: never.
        public var bookmarkInterval: Duration?

        public init(version: String = "v1.31.0", tls: TLSFiles? = nil, tokens: [String: String] = [:],
                    simulation: SimulationOptions = SimulationOptions(), watchHistoryLimit: Int = 10_000,
                    bookmarkInterval: Duration? = .seconds(5)) {
            self.version = version
            self.tls = tls
            self.tokens = tokens
            self.simulation = simulation
            self.watchHistoryLimit = watchHistoryLimit
            self.bookmarkInterval = bookmarkInterval
        }
    }

    /// PEM files for HTTPS: the server's certificate and key, and optionally a CA whose client
    /// certificates authenticate their Common Name as the user.
    public struct TLSFiles: Sendable {
        public var certificatePath: String
        public var privateKeyPath: String
        public var clientCAPath: String?

        public init(certificatePath: String, privateKeyPath: String, clientCAPath: String? = nil) {
            self.certificatePath = certificatePath
            self.privateKeyPath = privateKeyPath
            self.clientCAPath = clientCAPath
        }
    }

    /// Timings of the simulated kube-controller-manager and kubelet. The defaults make a
    /// Deployment available within about half a second.
    public struct SimulationOptions: Sendable {
        /// Off: objects are stored and served, nothing acts on them (no pods, no status),
        /// except what the API server itself does (defaults, cluster IPs, garbage collection,
        /// namespace deletion, CRD establishment).
        public var enabled: Bool
        /// How often the controllers look at the cluster.
        public var tick: Duration
        /// From a pod's scheduling (or its containers' turn) to its containers running, and the
        /// time an image pull takes to fail.
        public var containerStartDelay: Duration
        /// From running to ready, for a container with a readiness probe that does not fail
        /// (without one, a container is ready as soon as it runs, as the kubelet reports it).
        public var readinessDelay: Duration
        /// How long a container that exits runs before it does (Job pods, `exit N` commands).
        public var runDuration: Duration
        /// How long a crash-looping container waits before each restart (really 10s, 20s, ... 5m).
        public var crashLoopInterval: Duration
        /// From a LoadBalancer Service's creation to its ingress IP.
        public var loadBalancerDelay: Duration
        /// From a PersistentVolumeClaim's creation to Bound.
        public var volumeBindDelay: Duration

        public init(enabled: Bool = true, tick: Duration = .milliseconds(25), containerStartDelay: Duration = .milliseconds(100),
                    readinessDelay: Duration = .milliseconds(100), runDuration: Duration = .milliseconds(200),
                    crashLoopInterval: Duration = .milliseconds(300), loadBalancerDelay: Duration = .milliseconds(200),
                    volumeBindDelay: Duration = .milliseconds(100)) {
            self.enabled = enabled
            self.tick = tick
            self.containerStartDelay = containerStartDelay
            self.readinessDelay = readinessDelay
            self.runDuration = runDuration
            self.crashLoopInterval = crashLoopInterval
            self.loadBalancerDelay = loadBalancerDelay
            self.volumeBindDelay = volumeBindDelay
        }

        /// No simulated controllers.
        public static var off: SimulationOptions { SimulationOptions(enabled: false) }
    }
}

/// One request as the server saw it, for tests to assert on. Token values are never kept.
public struct RecordedRequest: Sendable {
    public var method: String
    /// The path, decoded, without the query.
    public var path: String
    /// Query parameters, decoded (`+` as space), in order.
    public var queryItems: [QueryItem]
    public var userAgent: String
    public var contentType: String?
    /// The authenticated user; nil when the request was refused as unauthenticated.
    public var user: String?
    /// The status code answered; 0 when the connection was dropped by a fault.
    public var statusCode: Int
    public var date: Date

    public struct QueryItem: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    /// The first value of a query parameter.
    public func query(_ name: String) -> String? { queryItems.first { $0.name == name }?.value }

    public var isWatch: Bool { ["1", "true"].contains(query("watch") ?? "") }
}
