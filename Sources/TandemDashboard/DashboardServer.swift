import HTTPTypes
import Hummingbird
import Logging
import Synchronization
import ServiceLifecycle
import TandemDeploy
import TandemJSON

/// The dashboard's web server: the page (compiled into the binary), a JSON API under `/api`,
/// and server-sent event streams that follow the shared watches.
public struct DashboardServer: Sendable {
    public var settings: DashboardSettings
    public var data: any DashboardData
    public var hooks: DashboardHooks
    /// `local` for the applications podman runs, else the cluster's context name.
    public var place: String

    public init(settings: DashboardSettings, data: any DashboardData, hooks: DashboardHooks, place: String) {
        self.settings = settings
        self.data = data
        self.hooks = hooks
        self.place = place
    }

    /// Serves until SIGINT or SIGTERM (or until cancelled); `listening` hears the port once
    /// the server accepts connections.
    public func run(listening: @escaping @Sendable (Int) async -> Void) async throws {
        var logger = Logger(label: "tandem.dashboard")
        logger.logLevel = .error
        let feed = ChangeFeed()
        let port = PortBox()
        let router = self.router(feed: feed, port: port)
        let application = Application(router: router, configuration: ApplicationConfiguration(address: .hostname(settings.address, port: settings.port)),
                                      onServerRunning: { channel in
                                          let bound = channel.localAddress?.port ?? settings.port
                                          await port.set(bound)
                                          await listening(bound)
                                      }, logger: logger)
        // Shut down in reverse order: the watches first, which ends the event streams, so
        // that the server's graceful shutdown does not wait on them.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [application, WatchService(data: data, feed: feed)],
                                                                          gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    func router(feed: ChangeFeed, port: PortBox) -> Router<BasicRequestContext> {
        let router = Router()
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(settings.address)
        router.add(middleware: SecurityMiddleware(allowedHosts: {
            guard loopback, let bound = port.value else { return nil }
            return ["127.0.0.1:\(bound)", "localhost:\(bound)", "[::1]:\(bound)"]
        }))
        for page in ["/", "/editor", "/app/{namespace}/{name}"] {
            router.get(RouterPath(page)) { _, _ in StaticFiles.response(.page) }
        }
        router.get("/app.js") { _, _ in StaticFiles.response(.script) }
        router.get("/style.css") { _, _ in StaticFiles.response(.style) }

        let data = self.data
        let gate = ActionGate(token: settings.actionsToken)
        let place = self.place
        router.get("/api/settings") { _, _ in
            JSONResponses.json(.object(["actions": .bool(gate.token != nil), "place": .string(place)]))
        }
        router.get("/api/applications") { _, _ in
            await data.waitUntilApplicationsListed()
            return JSONResponses.json(Self.list(await data.applications()))
        }
        router.get("/api/events") { _, _ in
            EventStream.response(feed: feed, event: "applications") {
                await data.waitUntilApplicationsListed()
                return Self.list(await data.applications())
            }
        }
        router.get("/api/apps/{namespace}/{name}") { _, context in
            let (namespace, name) = try Self.application(context)
            await data.waitUntilListed()
            guard let page = await data.application(namespace: namespace, name: name) else {
                throw DashboardRefusal(.notFound, "there is no application \(name) in namespace \(namespace)")
            }
            return JSONResponses.json(page)
        }
        router.get("/api/apps/{namespace}/{name}/events") { _, context in
            let (namespace, name) = try Self.application(context)
            return EventStream.response(feed: feed, event: "application") {
                await data.waitUntilListed()
                return await data.application(namespace: namespace, name: name)
                    ?? .object(["error": .string("there is no application \(name) in namespace \(namespace)")])
            }
        }
        router.get("/api/apps/{namespace}/{name}/logs") { request, context in
            let (namespace, name) = try Self.application(context)
            guard let pod = request.uri.queryParameters.get("pod"), let container = request.uri.queryParameters.get("container") else {
                throw DashboardRefusal(.badRequest, "name the pod and the container: ?pod=NAME&container=NAME")
            }
            return EventStream.lines { line in
                try await data.logs(namespace: namespace, application: name, pod: pod, container: container, line: line)
            }
        }
        let hooks = self.hooks
        router.get("/api/apps/{namespace}/{name}/objects") { _, context in
            let (namespace, name) = try Self.application(context)
            do {
                return JSONResponses.json(try await hooks.objects(namespace, name))
            } catch {
                throw DashboardRefusal(.conflict, "\(error)")
            }
        }
        router.post("/api/validate") { request, _ in
            try await EditorEndpoint(hooks: hooks).answer(request)
        }
        router.post("/api/apps/{namespace}/{name}/workflow/{action}") { request, context in
            if let refusal = gate.refusal(presented: request.headers[.actionsToken]) {
                throw DashboardRefusal(.forbidden, refusal)
            }
            let (namespace, name) = try Self.application(context)
            guard let action = context.parameters.get("action").flatMap(WorkflowAction.init(rawValue:)) else {
                throw DashboardRefusal(.notFound, "the workflow actions are \(WorkflowAction.allCases.map(\.rawValue).joined(separator: " and "))")
            }
            do {
                let message = try await hooks.workflow(action, namespace, name)
                await feed.publish()
                return JSONResponses.json(.object(["message": .string(message)]))
            } catch {
                throw DashboardRefusal(.conflict, "\(error)")
            }
        }
        return router
    }

    static func application(_ context: BasicRequestContext) throws -> (namespace: String, name: String) {
        guard let namespace = context.parameters.get("namespace"), let name = context.parameters.get("name") else {
            throw DashboardRefusal(.badRequest, "name the application: /api/apps/NAMESPACE/NAME")
        }
        return (namespace, name)
    }

    /// The list as the page reads it: each row with the word its health is coloured by.
    static func list(_ applications: [ApplicationSummary]) -> JSONValue {
        .array(applications.map { summary in
            var row = summary.json
            row["state"] = row["health"]
            row["health"] = .string(HealthWords.word(summary))
            // A local application's page is under the namespace `local`.
            if summary.source == .local { row["namespace"] = "local" }
            return row
        })
    }
}
