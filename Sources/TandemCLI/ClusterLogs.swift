import Foundation
import KubeClient
import KubeModel
import TandemJSON

/// `tandem logs APP` on a cluster: the log of every container of the application's pods (or of
/// one component's), read through the API's `pods/NAME/log`, each line prefixed `POD/CONTAINER | `.
/// Followed, it watches the pods and starts reading every container run it has not read yet: a
/// restarted container, a new pod of a rollout.
struct ClusterLogs {
    var client: KubeClient
    var namespace: String
    var application: String
    var component: String?
    var container: String?
    var tail: Int?
    var sinceSeconds: Int?
    var previous: Bool

    var selector: String {
        "\(LabelKeys.appName)=\(application)" + (component.map { ",\(LabelKeys.component)=\($0)" } ?? "")
    }

    /// A container of a pod, and which run of it (its restart count).
    struct Run: Hashable {
        var pod: String
        var container: String
        var restarts: Int

        var prefix: String { "\(pod)/\(container)" }
    }

    /// The runs of `pod`'s containers that have started (are running or have ended): what has a log.
    func runs(of pod: KubeObject) -> [Run] {
        let statuses = (pod.json[path: ["status", "initContainerStatuses"]]?.array ?? [])
            + (pod.json[path: ["status", "containerStatuses"]]?.array ?? [])
        return statuses.compactMap { status in
            guard let name = status["name"]?.string, container == nil || container == name else { return nil }
            let started = status[path: ["state", "running"]] != nil || status[path: ["state", "terminated"]] != nil
            let ranBefore = status[path: ["lastState", "terminated"]] != nil
            guard previous ? ranBefore : started else { return nil }
            return Run(pod: pod.name, container: name, restarts: status["restartCount"]?.int ?? 0)
        }
    }

    /// Every container name of the application's pods, for saying which there are.
    static func containerNames(_ pods: [KubeObject]) -> [String] {
        let names = pods.flatMap { pod in
            ((pod.json[path: ["spec", "initContainers"]]?.array ?? []) + (pod.json[path: ["spec", "containers"]]?.array ?? []))
                .compactMap { $0["name"]?.string }
        }
        return Array(Set(names)).sorted()
    }

    func request(_ run: Run, follow: Bool, fromStart: Bool) -> KubeRequest {
        var query: [KubeRequest.QueryItem] = [KubeRequest.QueryItem("container", run.container)]
        if follow { query.append(KubeRequest.QueryItem("follow", "true")) } else { query.append(KubeRequest.QueryItem("timestamps", "true")) }
        if previous { query.append(KubeRequest.QueryItem("previous", "true")) }
        if !fromStart {
            if let tail { query.append(KubeRequest.QueryItem("tailLines", String(tail))) }
            if let sinceSeconds { query.append(KubeRequest.QueryItem("sinceSeconds", String(sinceSeconds))) }
        }
        return KubeRequest(.get, "/api/v1/namespaces/\(namespace)/pods/\(run.pod)/log", query: query, isWatch: follow)
    }

    /// Opens a log and hands on each whole line until the server ends it.
    func read(_ request: KubeRequest, line: (String) async -> Void) async throws {
        try await client.readLines(request, line: line)
    }

    /// The pods now, or a clear failure when the application has none or no such container.
    func pods() async throws -> [KubeObject] {
        let pods = try await client.list(.pod, namespace: namespace, labelSelector: selector).items
        if let container, !pods.isEmpty, !Self.containerNames(pods).contains(container) {
            throw CLIFailure("application \(application) has no container \(container); its containers: "
                + Self.containerNames(pods).joined(separator: ", "))
        }
        return pods
    }

    /// Prints the logs as they are now, all containers' lines in time order.
    func printOnce(prefixed: Bool?) async throws {
        let pods = try await pods()
        let runs = pods.flatMap(runs(of:))
        guard !runs.isEmpty else {
            let what = component.map { "component \($0) of application \(application)" } ?? "application \(application)"
            throw CLIFailure(pods.isEmpty ? "\(what) has no pods in namespace \(namespace)"
                : "\(what) has no container that has \(previous ? "restarted" : "started") yet")
        }
        let prefixed = prefixed ?? (runs.count > 1)
        var lines: [(time: String, text: String)] = []
        for run in runs {
            try await read(request(run, follow: false, fromStart: false)) { line in
                // `timestamps=true` puts an RFC 3339 time first: the lines of all containers sort by it.
                let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
                let time = parts.count == 2 ? String(parts[0]) : ""
                let text = parts.count == 2 ? String(parts[1]) : line
                lines.append((time, (prefixed ? run.prefix + " | " : "") + text + "\n"))
            }
        }
        let sorted = lines.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
        Output.standardOutput(sorted.map(\.element.text).joined())
    }

    /// Prints every line as it comes until interrupted, reading each container run once: the
    /// runs there at the start from `--tail`/`--since`, later ones (restarts, new pods) whole.
    func follow() async throws {
        let resource = try await client.resource(for: .pod)
        let reflector = Reflector(client: client, resource: resource, namespace: namespace, labelSelector: selector)
        let printer = LinePrinter()
        let logs = self
        // The watch names the runs to read; each is read by a task of its own. A run in the first
        // list is read from --tail/--since; one that appears later (a restart, a new pod) whole.
        let (runs, found) = AsyncStream.makeStream(of: (run: Run, fromStart: Bool).self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { found.finish() }
                try await reflector.run { change in
                    switch change {
                    case .listed(let pods): for run in pods.flatMap(logs.runs(of:)) { found.yield((run, false)) }
                    case .upserted(let pod): for run in logs.runs(of: pod) { found.yield((run, true)) }
                    case .deleted: break
                    }
                }
            }
            var started: Set<Run> = []
            for await (run, fromStart) in runs where started.insert(run).inserted {
                group.addTask {
                    do {
                        try await logs.read(logs.request(run, follow: true, fromStart: fromStart)) { line in
                            await printer.print(run.prefix + " | " + line + "\n")
                        }
                    } catch {
                        await printer.note("tandem: \(run.prefix): \(CLIFailure.from(error))\n")
                    }
                }
            }
            // The watch has ended (it failed): so does following.
            group.cancelAll()
            try await group.waitForAll()
        }
    }
}

/// Writes whole lines from many readers, one at a time.
private actor LinePrinter {
    func print(_ line: String) { Output.standardOutput(line) }
    func note(_ line: String) { Output.standardError(line) }
}
