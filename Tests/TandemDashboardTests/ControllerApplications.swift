import KubeTestServer
import TandemJSON

/// The controller's Application kind and one Application with the status the controller
/// writes, put straight into the API test server.
enum ControllerApplications {
    static func install(_ server: KubeTestServer) async throws {
        try await server.insert([
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": "applications.core.oam.dev"],
            "spec": [
                "group": "core.oam.dev", "scope": "Namespaced",
                "names": ["kind": "Application", "listKind": "ApplicationList", "plural": "applications", "singular": "application"],
                "versions": [["name": "v1beta1", "served": true, "storage": true, "subresources": ["status": [:]],
                              "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]],
            ],
        ])
        let application: JSONValue = [
            "apiVersion": "core.oam.dev/v1beta1", "kind": "Application", "metadata": ["name": "billing", "namespace": "default"],
            "spec": ["components": [["name": "api", "type": "webservice", "properties": ["image": "billing/api:1"]],
                                    ["name": "worker", "type": "worker", "properties": ["image": "billing/worker:1"]]]],
            "status": ["status": "runningWorkflow",
                       "services": [["name": "api", "healthy": true], ["name": "worker", "healthy": false, "message": "0/1 ready"]],
                       "workflow": ["status": "executing", "steps": [["name": "deploy", "type": "deploy", "phase": "running"]]]],
        ]
        // The kind is served once the server has established the definition, a moment later.
        for attempt in 1...100 {
            do {
                try await server.insert(application)
                break
            } catch where attempt < 100 {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }
}
