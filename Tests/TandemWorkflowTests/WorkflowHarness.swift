import Foundation
import KubeClient
import KubeModel
import KubeTestServer
import Synchronization
import TandemDefinitions
import TandemJSON
import TandemKubeVela
import TandemRendering
import Testing
@testable import TandemWorkflow

/// A host for tests: `deliver` applies the step's objects to the API test server and answers
/// with the gate the test sets for the step (ready unless told otherwise).
struct TestHost: WorkflowHost {
    final class Board: Sendable {
        let state = Mutex<(gates: [String: StepGate], delivered: [String], errors: [String: String])>(([:], [], [:]))

        func set(_ gate: StepGate, for step: String) { state.withLock { $0.gates[step] = gate } }
        func fail(_ step: String, with message: String?) { state.withLock { $0.errors[step] = message } }
        var delivered: [String] { state.withLock { $0.delivered } }
    }

    struct DeliveryFailure: Error, CustomStringConvertible {
        var description: String
    }

    let providers: any WorkflowProviders
    let client: KubeClient
    let application: RenderedApplication
    let board: Board

    func deliver(_ step: DeliveryStep) async throws -> StepGate {
        if let message = board.state.withLock({ $0.errors[step.name] }) { throw DeliveryFailure(description: message) }
        let components = application.components.filter { component in
            if let path = step.path { return component.step == path }
            return step.environment == nil || component.environment == step.environment
        }
        for object in components.flatMap(\.objects) {
            var json = object.object.json
            if json[path: ["metadata", "namespace"]] == nil { json["metadata"]?["namespace"] = "default" }
            _ = try await providers.apply(json)
        }
        return board.state.withLock { state in
            state.delivered.append(step.name)
            return state.gates[step.name] ?? .ready
        }
    }
}

/// An Application's workflow run against the API test server, with the events it emitted.
final class WorkflowHarness: Sendable {
    let server: KubeTestServer
    let client: KubeClient
    let application: RenderedApplication
    let host: TestHost
    let engine: WorkflowEngine
    private let recorded = EventLog()

    /// The events the engine emitted, in order.
    final class EventLog: Sendable {
        let events = Mutex<[WorkflowEvent]>([])
        func append(_ event: WorkflowEvent) { events.withLock { $0.append(event) } }
    }

    var board: TestHost.Board { host.board }
    var events: [WorkflowEvent] { recorded.events.withLock { $0 } }

    init(_ yaml: String, registry: DefinitionRegistry = .builtIn, before: @Sendable (KubeClient) async throws -> Void = { _ in })
        async throws {
        let rendered = RenderPipeline(registry: registry).render([SourceFile(name: "app.yaml", text: yaml)])
        #expect(!rendered.hasErrors, "\(rendered.diagnostics.map(\.description))")
        let application = try #require(rendered.outputs.first)
        server = try await KubeTestServer.start(KubeTestServer.Options(simulation: .off))
        client = try KubeClient(ClusterConnection(server: server.url)).managed(by: "tandem")
        self.application = application
        host = TestHost(providers: KubeWorkflowProviders(client: client, namespace: "default", maxHTTPTimeout: .seconds(2)), client: client,
                        application: application, board: TestHost.Board())
        engine = WorkflowEngine(workflow: Workflow(application), application: application, host: host)
        try await before(client)
    }

    /// One advance, from the status as the host would have persisted it (read back from its JSON).
    func advance(_ status: WorkflowStatus, at now: Date) async throws -> WorkflowStatus {
        let persisted = try WorkflowStatus(json: status.json, context: status.context)
        let events = recorded
        return await engine.advance(persisted, now: now) { event in events.append(event) }
    }

    func object(_ apiVersion: String, _ kind: String, _ name: String, namespace: String? = "default") async -> JSONValue? {
        await server.object(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
    }

    func shutdown() async {
        await client.shutdown()
        try? await server.shutdown()
    }
}

/// A fixed start for the tests' clocks.
let start = Date(timeIntervalSince1970: 1_800_000_000)

extension WorkflowHarness {
    /// Everything a user or an Event could read about the run: the status as written, its
    /// context, and the events.
    func shown(_ status: WorkflowStatus) -> String {
        JSONWriter.compact(status.json) + JSONWriter.compact(status.context) + events.map { "\($0)" }.joined(separator: "\n")
    }
}

extension KubeClient {
    /// Creates a CustomResourceDefinition and waits, watching it, until the server serves its kind.
    func establish(_ definition: JSONValue) async throws {
        let applied = try await apply(KubeObject(json: definition))
        let resource = try await resource(for: GroupVersionKind.customResourceDefinition)
        let events = try await watch(resource, namespace: nil, fieldSelector: "metadata.name=\(applied.object.name)", resourceVersion: "0")
        for try await event in events {
            let conditions = event.object[path: ["status", "conditions"]]?.array ?? []
            if conditions.contains(where: { $0["type"] == "Established" && $0["status"] == "True" }) { break }
        }
        await forgetDiscovery()
    }
}
