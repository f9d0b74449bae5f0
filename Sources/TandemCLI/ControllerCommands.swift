import ArgumentParser
import Foundation
import KubeClient
import Logging
import ServiceLifecycle
import TandemController
import TandemDeploy
import TandemJSON
import TandemModel
import TandemRendering

struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Print the manifests that install the Tandem controller: CRD, namespace, RBAC, Deployment.",
        discussion: """
            The applications.core.oam.dev CRD, the controller's namespace and service account, \
            least-privilege RBAC and a Deployment of two replicas with leader election, as \
            multi-document YAML to pipe into kubectl.

            Example:
              tandem install | kubectl apply --server-side -f -
              tandem install --image registry.example.com/tandem:0.2.0 --namespace platform
            """)

    @Option(name: [.short, .long], help: ArgumentHelp("The controller's namespace.", valueName: "namespace"))
    var namespace = "tandem-system"

    @Option(help: ArgumentHelp("The controller's image (build one with scripts/controller-image.sh).", valueName: "image"))
    var image = "localhost/tandem:\(TandemCommand.version)"

    @Option(help: ArgumentHelp("Replicas of the controller (one leads, the others stand by).", valueName: "n"))
    var replicas = 2

    @Flag(name: .customLong("allow-rbac"),
          help: "Let applications create RBAC objects, admission webhooks and policies, and APIServices (grants the controller bind and escalate).")
    var allowRBAC = false

    func validate() throws {
        if let problem = StringFormat.dns1123Label.violation(in: namespace) {
            throw ValidationError("--namespace '\(namespace)' is not a valid namespace name: \(problem)")
        }
        if replicas < 1 { throw ValidationError("--replicas must be at least 1") }
    }

    func run() {
        let options = InstallManifests.Options(namespace: namespace, image: image, allowRBAC: allowRBAC, replicas: replicas)
        Output.standardOutput(YAMLWriter.documents(InstallManifests.objects(options)))
    }
}

struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Run the controller that reconciles Application objects (in a cluster, or against one from here).",
        discussion: """
            Watches Applications (in every namespace, or in --namespace) and the objects they own, \
            renders and applies each Application, prunes what it no longer renders, and writes its \
            health to its status in KubeVela's shape. With leader election (the default), only the \
            replica holding the Lease works. Serves /healthz, /readyz and /metrics on \
            --metrics-port. SIGTERM finishes the reconciles in flight, releases the Lease, and exits 0.

            Example:
              tandem controller --leader-elect=false --metrics-port 8080
            """)

    @OptionGroup var cluster: ClusterOptions

    @Option(name: .customLong("metrics-port"), help: ArgumentHelp("Port of /healthz, /readyz and /metrics (0: any).", valueName: "port"))
    var metricsPort = 8080

    @Option(name: [.short, .long], help: ArgumentHelp("Watch only this namespace (default: all).", valueName: "namespace"))
    var namespace: String?

    @Option(help: ArgumentHelp("Applications reconciled at once.", valueName: "n"))
    var concurrency = 8

    @Option(name: .customLong("leader-elect"), help: ArgumentHelp("Take part in leader election through a Lease.", valueName: "true|false"))
    var leaderElect = true

    @Option(name: .customLong("lease-namespace"), help: ArgumentHelp("The namespace of the Lease (default: the pod's, else tandem-system).",
                                                                     valueName: "namespace"))
    var leaseNamespace: String?

    @Option(help: ArgumentHelp("How often every Application is reconciled again, like 10m.", valueName: "duration"))
    var resync = TimeSpan(.seconds(600))

    @Option(name: .customLong("application-revision-limit"),
            help: ArgumentHelp("How many revisions of each Application are kept; the oldest go first.", valueName: "n"))
    var revisionLimit = RevisionStore.defaultHistoryLimit

    func validate() throws {
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if revisionLimit < 1 { throw ValidationError("--application-revision-limit must be at least 1") }
        if !(0...65535).contains(metricsPort) { throw ValidationError("--metrics-port must be a port number") }
    }

    func run() async throws {
        var logger = Logger(label: "tandem.controller")
        logger.logLevel = cluster.verbose ? .debug : .info
        let metrics = ControllerMetrics()
        let connection: ClusterConnection
        let client: KubeClient
        do {
            connection = try ClusterConnection.resolve(kubeconfig: cluster.kubeconfig, context: cluster.context)
            let verbose = cluster.verbose
            client = try KubeClient(connection, requestTimeout: cluster.requestTimeout.duration,
                                    userAgent: "tandem-controller/\(TandemCommand.version)") { request, status, time in
                metrics.request(request, status, time)
                if verbose { ClusterOptions.logRequest(request, status, time) }
            }
        } catch let error as KubeError {
            throw CLIFailure(ConnectionAdvice.message(error, runner: .controller))
        }
        let environment = ProcessInfo.processInfo.environment
        let identity = (environment["POD_NAME"] ?? ProcessInfo.processInfo.hostName) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        var configuration = ControllerConfiguration(
            namespace: namespace, concurrency: concurrency, resync: resync.duration, leaderElection: leaderElect,
            leaseNamespace: leaseNamespace ?? environment["POD_NAMESPACE"] ?? "tandem-system",
            identity: identity, tooling: "tandem/v\(TandemCommand.version)")
        configuration.revisionLimit = revisionLimit
        let controller = Controller(client: client, configuration: configuration, metrics: metrics, logger: logger)
        let endpoints: HealthEndpoints
        do {
            endpoints = try await HealthEndpoints.start(port: metricsPort, isReady: { controller.isReady }, metrics: metrics.exposition)
        } catch {
            throw CLIFailure("cannot serve /healthz, /readyz and /metrics on port \(metricsPort): \(error)")
        }
        logger.info("serving /healthz, /readyz and /metrics", metadata: ["port": "\(endpoints.port)"])
        let group = ServiceGroup(services: [ControllerService(controller: controller), EndpointsService(endpoints: endpoints)],
                                 gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch {
            await client.shutdown()
            throw CLIFailure("\(error)")
        }
        await client.shutdown()
        logger.info("stopped")
    }
}
