import Foundation
import TandemDeploy
import TandemJSON
import TandemLocal

/// The applications `tandem up --local` runs, as `tandem ls --local` and `status --local` read
/// them: from the state folders their supervisors write. They are read again when podman
/// reports an event (a container started, died, was removed) and when a supervisor writes a
/// new status (its probes' results, which podman does not see).
public actor LocalData: DashboardData {
    let namespace: String?
    let environment: [String: String]
    private var summaries: [ApplicationSummary]?
    private var fingerprint: [String] = []

    public init(namespace: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.namespace = namespace
        self.environment = environment
    }

    public func run(feed: ChangeFeed) async throws {
        let changes = PodmanEvents.follow()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in changes { await self.refresh(feed) }
            }
            group.addTask {
                // The supervisors' status files: a cheap look at their dates once a second.
                while !Task.isCancelled {
                    await self.refreshIfWritten(feed)
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    private func refresh(_ feed: ChangeFeed) async {
        summaries = nil
        fingerprint = currentFingerprint()
        await feed.publish()
    }

    private func refreshIfWritten(_ feed: ChangeFeed) async {
        if currentFingerprint() != fingerprint { await refresh(feed) }
    }

    /// Each state folder with the dates of its plan and status files.
    private func currentFingerprint() -> [String] {
        let root = StateDirectory.root(environment)
        let folders = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
        return folders.map { folder in
            let state = StateDirectory(path: "\(root)/\(folder)")
            let dates = [state.planFile, state.statusFile].map { file in
                ((try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            }
            return "\(folder) \(dates[0]) \(dates[1])"
        }
    }

    public func waitUntilListed() async {}
    public func waitUntilApplicationsListed() async {}

    public func applications() -> [ApplicationSummary] {
        if let summaries { return summaries }
        let list = ApplicationSummary.allLocal(namespace: namespace, environment: environment)
            .sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        summaries = list
        return list
    }

    /// The state folder of a running application; the page's namespace is `local`.
    private func state(_ name: String) -> (StateDirectory, LocalPlan)? {
        let state = StateDirectory(application: name, environment: environment)
        guard !name.contains("/"), name != "..", let plan = try? state.readPlan(), plan.application == name else { return nil }
        return (state, plan)
    }

    public func application(namespace: String, name: String) -> JSONValue? {
        guard namespace == "local", let (state, _) = state(name), let summary = ApplicationSummary.local(state) else { return nil }
        let status = LocalStatus.read(state)
        var page = ApplicationPage(summary: summary, health: status?.health)
        for probe in status?.probes ?? [] {
            let text = "\(probe.kind): \(probe.handler) → \(probe.result)" + (probe.message.isEmpty ? "" : " (\(probe.message))")
            page.probeResults["\(probe.pod)/\(probe.container)", default: []].append(text)
        }
        page.events = (status?.notes ?? []).map { note in
            .object(["type": "Normal", "reason": "Note", "object": .string("application/\(name)"), "message": .string(note),
                     "time": .string(status?.updatedAt ?? ""), "count": 1])
        }
        var json = page.json
        // The page addresses local applications under the namespace `local`.
        json["namespace"] = "local"
        return json
    }

    public func logs(namespace: String, application: String, pod: String, container: String,
                     line: @escaping @Sendable (String) async -> Void) async throws {
        guard let (state, plan) = state(application),
              let source = LogFiles.sources(plan, state: state).first(where: { $0.pod == pod && $0.container == container }) else {
            throw DashboardRefusal(.notFound, "application \(application) has no container \(container) in pod \(pod)")
        }
        for entry in LogFiles.read(source, tail: 500) { await line(entry.text) }
        let follower = LogFollower(sources: [source], fromEnd: true)
        // podman writes the log to a file: read what it added, a few times a second.
        while !Task.isCancelled {
            for (_, entry) in follower.poll() { await line(entry.text) }
            try await Task.sleep(for: .milliseconds(300))
        }
    }
}
