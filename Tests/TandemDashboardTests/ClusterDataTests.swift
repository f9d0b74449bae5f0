import Foundation
import KubeClient
import KubeTestServer
import TandemJSON
import Testing
@testable import TandemDashboard

/// The shared watches themselves, in this process.
@Suite struct ClusterDataTests {
    /// A dashboard started before the controller's definitions were installed finds their
    /// Applications once they are.
    @Test func theApplicationKindInstalledLaterIsFound() async throws {
        let server = try await KubeTestServer.start(KubeTestServer.Options(simulation: .off))
        let client = try KubeClient(ClusterConnection(server: server.url))
        let data = ClusterData(client: client, namespace: "default", rediscovery: .milliseconds(50))
        let feed = ChangeFeed()
        let running = Task { try await data.run(feed: feed) }
        await data.waitUntilListed()
        #expect(await data.applications().isEmpty)

        let changes = await feed.subscribe()
        try await ControllerApplications.install(server)
        let found = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in changes where await data.applications().contains(where: { $0.name == "billing" }) { return true }
                return false
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return false
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
        #expect(found, "the Application appeared in the list")
        running.cancel()
        _ = await running.result
        await client.shutdown()
        try await server.shutdown()
    }

    /// The application list needs no events (thousands of them, the longest list): it is
    /// answered once the other watches have listed, while the events' list is still coming.
    @Test func theListDoesNotWaitForTheEvents() async throws {
        let server = try await KubeTestServer.start(KubeTestServer.Options(simulation: .off))
        try await ControllerApplications.install(server)
        await server.inject(.delay(.seconds(60), method: "GET", path: "/api/v1/namespaces/default/events"))
        let client = try KubeClient(ClusterConnection(server: server.url))
        let data = ClusterData(client: client, namespace: "default")
        let running = Task { try await data.run(feed: ChangeFeed()) }
        let listed = try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                await data.waitUntilApplicationsListed()
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return false
            }
            defer { group.cancelAll() }
            return try await group.next() ?? false
        }
        #expect(listed, "the list waited for the events")
        #expect(await data.applications().map(\.name) == ["billing"])
        running.cancel()
        _ = await running.result
        await client.shutdown()
        try await server.shutdown()
    }

    /// A controller-managed application whose objects cannot be found (its spec does not
    /// render, say) keeps the components its status names, and its page says why.
    @Test func anInventoryThatCannotBeReadIsSaidOnThePage() async throws {
        struct Unreadable: Error, CustomStringConvertible {
            var description: String { "component type webservice is not defined" }
        }
        let server = try await KubeTestServer.start(KubeTestServer.Options(simulation: .off))
        try await ControllerApplications.install(server)
        let client = try KubeClient(ClusterConnection(server: server.url))
        let data = ClusterData(client: client, namespace: "default") { _ in throw Unreadable() }
        let feed = ChangeFeed()
        let changes = await feed.subscribe()
        let running = Task { try await data.run(feed: feed) }
        await data.waitUntilListed()
        // Asking for the page asks for the inventory; the page is published again once it is read.
        let first = await data.application(namespace: "default", name: "billing")
        #expect(first?["components"]?.array?.map { $0["name"]?.string } == ["api", "worker"])
        let said = try await withThrowingTaskGroup(of: JSONValue?.self) { group in
            group.addTask {
                for await _ in changes {
                    if let page = await data.application(namespace: "default", name: "billing"), page["problems"] != nil { return page }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        #expect(said?["problems"]?.array?.first?.string
            == "the objects of application billing cannot be found: component type webservice is not defined")
        #expect(said?["components"]?.array?.last?["message"] == "0/1 ready")
        running.cancel()
        _ = await running.result
        await client.shutdown()
        try await server.shutdown()
    }
}

