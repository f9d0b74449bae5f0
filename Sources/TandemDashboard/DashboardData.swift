import TandemDeploy
import TandemJSON

/// Where the dashboard's applications come from: a cluster's watches, or the applications
/// podman runs on this machine. One instance serves every open page.
public protocol DashboardData: Sendable {
    /// Keeps the data current until cancelled, publishing every change on `feed`.
    func run(feed: ChangeFeed) async throws
    /// Returns once the first state is known (every watch has listed once).
    func waitUntilListed() async
    /// Returns once what the application list needs is known (it needs no events).
    func waitUntilApplicationsListed() async
    /// The applications, sorted by namespace and name.
    func applications() async -> [ApplicationSummary]
    /// One application's page: its topology, containers, events and workflow; nil when there
    /// is no such application.
    func application(namespace: String, name: String) async -> JSONValue?
    /// Hands on the lines of a container's log, followed, until cancelled or the log ends.
    func logs(namespace: String, application: String, pod: String, container: String,
              line: @escaping @Sendable (String) async -> Void) async throws
}
