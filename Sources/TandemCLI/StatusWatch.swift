import Foundation
import KubeClient
import KubeModel
import TandemDeploy
import TandemJSON
import TandemLocal
import TandemRendering

/// `status --watch`: the status drawn again whenever the application changes, from watches of
/// its objects, pods and events, until Ctrl-C. On a terminal the screen is redrawn; into a file
/// or a pipe, each new state follows the last after a blank line.
enum StatusWatch {
    static func run(_ watch: HealthWatch, render: @escaping @Sendable (ApplicationHealth) -> String) async throws {
        let printer = StatusPrinter(redraws: redraws)
        try await watch.follow { health in await printer.show(render(health)) }
    }

    /// For an application the tandem controller manages: drawn again also when the status the
    /// controller writes on its Application object changes (from a watch of that object).
    static func run(_ watch: HealthWatch, application: ObjectReference,
                    render: @escaping @Sendable (ApplicationHealth, JSONValue?) -> String) async throws {
        let printer = StatusPrinter(redraws: redraws)
        let latest = LatestStatus(render: render)
        let client = watch.client
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await watch.follow { health in
                    if let text = await latest.update(health: health) { await printer.show(text) }
                }
            }
            group.addTask {
                let resource = try await client.resource(for: application.gvk)
                try await Reflector(client: client, resource: resource, namespace: application.namespace,
                                    fieldSelector: "metadata.name=\(application.name)").run { snapshot in
                    let status = snapshot[application]?.json["status"]
                    if let text = await latest.update(status: status) { await printer.show(text) }
                }
            }
            // Either watch ending (an error; Ctrl-C ends the process) ends both.
            try await group.next()
            group.cancelAll()
        }
    }

    /// `status --local --watch`: drawn again whenever podman or the application's supervisor
    /// reports a change (`LocalChanges`), until Ctrl-C or the application is removed.
    static func runLocal(_ application: String, namespace: String?, format: StatusFormat, view: StatusView) async throws {
        try LocalApplication.validate(application, namespace: namespace)
        let state = LocalApplication.state(application, namespace: namespace)
        guard state.exists else { throw LocalApplication.notRunning(application, namespace: namespace) }
        let key = LocalNames.key(namespace: namespace ?? "default", name: application)
        // Following before the first drawing: no change falls between them.
        let changes = try LocalChanges.follow(podman: try LocalUp.podman(), application: key, state: state)
        let printer = StatusPrinter(redraws: redraws)
        // Just after `up --local --no-wait` the supervisor may not have written its first status: it comes as a change.
        let first = try? LocalApplication.render(application, namespace: namespace, format: format, view: view).text
        if let first { await printer.show(first) }
        let following = Task {
            var shown = first
            for try await _ in changes {
                // While the application is being removed there may be no status to read.
                guard let text = try? LocalApplication.render(application, namespace: namespace, format: format, view: view).text,
                      text != shown else { continue }
                shown = text
                await printer.show(text)
            }
            return !Task.isCancelled
        }
        // Ctrl-C ends the following, and with it podman's events, before tandem ends.
        var signals: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { following.cancel() }
            source.resume()
            signals.append(source)
        }
        defer { signals.forEach { $0.cancel() } }
        if try await following.value {
            Output.standardOutput("application \(application) is no longer running locally\n")
        }
    }

    private static var redraws: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }
}

/// The application's latest health and its Application's latest status: the text to draw when
/// either changes, once the health is known.
private actor LatestStatus {
    let render: @Sendable (ApplicationHealth, JSONValue?) -> String
    private var health: ApplicationHealth?
    private var status: JSONValue?

    init(render: @escaping @Sendable (ApplicationHealth, JSONValue?) -> String) { self.render = render }

    func update(health: ApplicationHealth) -> String? {
        self.health = health
        return render(health, status)
    }

    func update(status: JSONValue?) -> String? {
        guard status != self.status else { return nil }
        self.status = status
        return health.map { render($0, status) }
    }
}

/// Writes each new state once, in order.
actor StatusPrinter {
    let redraws: Bool
    private var shown = 0

    init(redraws: Bool) { self.redraws = redraws }

    func show(_ text: String) {
        if redraws {
            // Home, clear the screen, draw.
            Output.standardOutput("\u{1B}[H\u{1B}[2J" + text)
        } else {
            Output.standardOutput((shown > 0 ? "\n" : "") + text)
        }
        shown += 1
    }
}
