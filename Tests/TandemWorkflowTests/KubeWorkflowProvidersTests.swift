import Foundation
import KubeClient
import KubeTestServer
import TandemJSON
import TandemKubeVela
import Testing
@testable import TandemWorkflow

/// KubeVela's providers over the API test server: what CUE steps and built-in steps write and read.
@Suite struct KubeWorkflowProvidersTests {
    static func configMap(_ name: String, labels: JSONValue = .object([:])) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "labels": labels], "data": ["a": "1"]]
    }

    @Test func applyReadListAndDeleteInTheApplicationsNamespace() async throws {
        let server = try await KubeTestServer.start(KubeTestServer.Options(simulation: .off))
        let client = try KubeClient(ClusterConnection(server: server.url)).managed(by: "tandem")
        let providers = KubeWorkflowProviders(client: client, namespace: "shop")
        _ = try await providers.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "shop"]])

        let applied = try await providers.apply(Self.configMap("one", labels: ["team": "web"]))
        #expect(applied[path: ["metadata", "namespace"]] == "shop")
        #expect(applied[path: ["metadata", "managedFields"]]?.array?.first?["manager"] == "tandem")
        _ = try await providers.apply(Self.configMap("two"))
        #expect(try await providers.read(Self.configMap("one"))?[path: ["data", "a"]] == "1")
        #expect(try await providers.read(Self.configMap("three")) == nil)

        let labelled = try await providers.list(apiVersion: "v1", kind: "ConfigMap", namespace: "shop", matchingLabels: ["team": "web"])
        #expect(labelled.compactMap { $0[path: ["metadata", "name"]]?.string } == ["one"])

        try await providers.delete(Self.configMap("one"))
        try await providers.delete(Self.configMap("one"))
        #expect(try await providers.read(Self.configMap("one")) == nil)

        await #expect(throws: WorkflowError("the object has no kind")) {
            _ = try await providers.apply(["apiVersion": "v1", "metadata": ["name": "x"]])
        }
        await client.shutdown()
        try await server.shutdown()
    }
}
