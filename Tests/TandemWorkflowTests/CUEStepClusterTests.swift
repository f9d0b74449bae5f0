import Foundation
import KubeClient
import KubeModel
import KubeTestServer
import TandemJSON
import TandemKubeVela
import TandemTestSupport
import Testing
@testable import TandemWorkflow

/// Steps written in CUE run through the real providers (`KubeWorkflowProviders`) against the
/// API test server, whose simulated controllers make Deployments available.
struct CUEStepClusterTests {
    static func runner(_ path: String) throws -> CUEStepRunner {
        let loaded = DefinitionLoader().load(paths: [PackagePaths.root.appendingPathComponent(path).path])
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        return CUEStepRunner(CUEWorkflowStepDefinition(try #require(loaded.definitions.first)))
    }

    static func runner(text: String) throws -> CUEStepRunner {
        let loaded = DefinitionLoader().load(bytes: Array(text.utf8), file: "step.cue")
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        return CUEStepRunner(CUEWorkflowStepDefinition(try #require(loaded.definitions.first)))
    }

    static let context: JSONValue = ["name": "shop", "namespace": "default", "stepName": "annotate", "stepSessionID": "c1"]

    @Test func theExampleStepWaitsForTheSimulatedRolloutThenAnnotates() async throws {
        let server = try await KubeTestServer.start()
        let client = try KubeClient(ClusterConnection(server: server.url)).managed(by: "tandem")
        let providers = KubeWorkflowProviders(client: client, namespace: "default")
        let runner = try Self.runner("examples/definitions/wait-ready-and-annotate.cue")
        let properties: JSONValue = ["name": "web", "annotations": ["example.com/released-by": "pipeline-42"]]

        #expect(await runner.run(properties: properties, context: Self.context, providers: providers)
            == .waiting("Deployment default/web does not exist yet"))
        let deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default", "labels": ["app": "web"]],
            "spec": ["replicas": 1, "selector": ["matchLabels": ["app": "web"]],
                     "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "web", "image": "nginx:1.27"]]]]],
        ]
        let created = try await providers.apply(deployment)

        // The step runs again each time the Deployment changes, as the workflow would.
        let resource = try await client.resource(for: GroupVersionKind(apiVersion: "apps/v1", kind: "Deployment"))
        let events = try await client.watch(resource, namespace: "default", fieldSelector: "metadata.name=web",
                                            resourceVersion: created[path: ["metadata", "resourceVersion"]]?.string, timeoutSeconds: 30)
        var result = await runner.run(properties: properties, context: Self.context, providers: providers)
        var changes = 0
        if case .waiting = result {
            for try await _ in events {
                changes += 1
                result = await runner.run(properties: properties, context: Self.context, providers: providers)
                guard case .waiting(let message) = result else { break }
                #expect(message == "Waiting for Deployment default/web to be available")
            }
        }
        guard case .succeeded = result else { Issue.record("after \(changes) changes: \(result)"); return }
        let live = try #require(await server.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "web"))
        #expect(live[path: ["metadata", "annotations", "example.com/released-by"]] == "pipeline-42")
        #expect(live[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"] == "nginx:1.27")
        #expect(live[path: ["metadata", "labels", "app"]] == "web")
        await client.shutdown()
        try await server.shutdown()
    }

    @Test func listDeleteAndHTTPGoThroughTheRealProviders() async throws {
        let server = try await KubeTestServer.start(KubeTestServer.Options(simulation: .init(enabled: false)))
        let client = try KubeClient(ClusterConnection(server: server.url)).managed(by: "tandem")
        let receiver = try await HTTPReceiver.start()
        let providers = KubeWorkflowProviders(client: client, namespace: "default")
        for (name, stage) in [("a", "old"), ("b", "old"), ("c", "new")] {
            _ = try await providers.apply(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "labels": ["stage": .string(stage)]]])
        }
        let runner = try Self.runner(text: """
            import (
            \t"vela/kube"
            \t"vela/http"
            \t"encoding/json"
            )
            "prune-and-report": {type: "workflow-step"}
            template: {
            \tfound: kube.#List & {$params: {resource: {apiVersion: "v1", kind: "ConfigMap"}, filter: {namespace: context.namespace, matchingLabels: stage: parameter.stage}}}
            \tprune: kube.#Delete & {$params: {value: {apiVersion: "v1", kind: "ConfigMap", metadata: namespace: context.namespace}, filter: matchingLabels: stage: parameter.stage}}
            \treport: http.#HTTPDo & {$params: {method: "POST", url: parameter.url, request: body: json.Marshal({pruned: [for item in found.$returns.values.items {item.metadata.name}]})}}
            \tparameter: {stage: string, url: string}
            }
            """)
        let result = await runner.run(properties: ["stage": "old", "url": .string(receiver.url + "/report")], context: Self.context, providers: providers)
        guard case .succeeded(let value, _) = result else { Issue.record("\(result)"); return }
        #expect(value[path: ["report", "$returns", "statusCode"]] == 200)
        #expect(receiver.received.map(\.body) == [#"{"pruned":["a","b"]}"#])
        #expect(await server.objects(apiVersion: "v1", kind: "ConfigMap", namespace: "default").compactMap { $0[path: ["metadata", "name"]]?.string } == ["c"])
        try await receiver.shutdown()
        await client.shutdown()
        try await server.shutdown()
    }
}
