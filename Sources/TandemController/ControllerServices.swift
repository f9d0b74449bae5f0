import Logging
import ServiceLifecycle

/// The controller as a service of a ServiceLifecycle group: on SIGTERM it stops taking work,
/// finishes what is in flight, releases the Lease, and returns.
public struct ControllerService: Service {
    public let controller: Controller

    public init(controller: Controller) {
        self.controller = controller
    }

    public func run() async throws {
        let controller = self.controller
        try await withGracefulShutdownHandler {
            try await controller.run()
        } onGracefulShutdown: {
            Task { await controller.stop() }
        }
    }
}

/// The health and metrics endpoints as a service: served until shutdown.
public struct EndpointsService: Service {
    public let endpoints: HealthEndpoints

    public init(endpoints: HealthEndpoints) {
        self.endpoints = endpoints
    }

    public func run() async throws {
        defer { Task { await endpoints.close() } }
        try? await gracefulShutdown()
    }
}
