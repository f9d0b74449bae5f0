import ServiceLifecycle

/// Runs the shared watches for as long as the server runs.
struct WatchService: Service {
    var data: any DashboardData
    var feed: ChangeFeed

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await data.run(feed: feed)
        }
        await feed.finish()
    }
}
