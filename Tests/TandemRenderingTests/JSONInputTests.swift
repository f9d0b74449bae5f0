import Foundation
import TandemJSON
import TandemModel
import TandemParsing
import TandemTestSupport
import Testing
@testable import TandemRendering

/// Applications as the API server returns them: JSON, with the fields the server sets. They
/// validate and render as the files they came from, and their problems carry paths, not lines.
@Suite("Applications from JSON")
struct JSONInputTests {
    static let seeds = ["seed-01-minimal", "seed-02-volumes", "seed-04-full-exec", "seed-04-full-httpget", "sidecar-native", "worker-full"]

    /// The document as the API server would return it after `kubectl apply`.
    static func asStored(_ document: JSONValue) -> JSONValue {
        var stored = document
        var metadata = stored["metadata"]?.object ?? JSONObject()
        if metadata["namespace"] == nil { metadata["namespace"] = "default" }
        metadata["uid"] = "9b2f3c4e-1a2b-4c5d-8e9f-0a1b2c3d4e5f"
        metadata["resourceVersion"] = "48213"
        metadata["generation"] = 3
        metadata["creationTimestamp"] = "2026-11-26T10:00:00Z"
        metadata["finalizers"] = ["app.oam.dev/resource-tracker-finalizer"]
        metadata["ownerReferences"] = [["apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": "1234"]]
        metadata["managedFields"] = [["manager": "kubectl", "operation": "Apply", "apiVersion": "core.oam.dev/v1beta1",
                                      "fieldsType": "FieldsV1", "fieldsV1": ["f:spec": [:]]]]
        stored["metadata"] = .object(metadata)
        stored["status"] = ["status": "running", "observedGeneration": 3, "services": [["name": "my-comp", "healthy": true]]]
        return stored
    }

    @Test("the seed examples render from JSON to the same objects", arguments: seeds)
    func sameObjects(_ name: String) throws {
        let fixture = try #require(FixtureCase.all(in: "Golden").first { $0.name == name })
        let (_, _, fromFile) = try fixture.render()
        #expect(!fromFile.hasErrors)
        let text = try #require(fixture.read("app.yaml"))
        let document = try #require(try rereadDocuments(text).first)
        // Through JSON text, as it comes over the wire.
        let json = try JSONReader().read(JSONWriter.compact(Self.asStored(document)))
        let (rendered, diagnostics) = RenderPipeline(options: try fixture.options).render(json: json)
        let errors = diagnostics.filter(\.isError)
        #expect(errors.isEmpty, "\(errors)")
        let objects = try #require(rendered).objects.map(\.object.json)
        // The stored Application is in `default`; the file's may name none.
        let hadNamespace = document[path: ["metadata", "namespace"]] != nil
        let expected = fromFile.objects.map { object -> JSONValue in
            var json = object.json
            if !hadNamespace {
                json[path: ["metadata", "namespace"]] = "default"
                json[path: ["metadata", "labels", "app.oam.dev/namespace"]] = "default"
            }
            return json
        }
        #expect(objects.map { Self.withoutOrder($0) } == expected.map { Self.withoutOrder($0) })
        #expect(rendered?.application.server?.resourceVersion == "48213")
        #expect(rendered?.application.server?.generation == 3)
    }

    /// Objects compared as JSON does, ignoring key order.
    static func withoutOrder(_ value: JSONValue) -> String {
        switch value {
        case .object(let object):
            return "{" + object.members.sorted { $0.key < $1.key }.map { "\($0.key):\(withoutOrder($0.value))" }.joined(separator: ",") + "}"
        case .array(let items):
            return "[" + items.map(withoutOrder).joined(separator: ",") + "]"
        default:
            return JSONWriter.compact(value)
        }
    }

    @Test("problems in a JSON Application carry field paths and no lines")
    func diagnosticsWithoutLines() throws {
        let json = try JSONReader().read("""
            {"apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
             "metadata": {"name": "shop", "namespace": "default", "uid": "1", "resourceVersion": "7"},
             "spec": {"components": [{"name": "web", "type": "worker",
               "properties": {"image": "nginx", "imagee": "x"},
               "traits": [{"type": "sidecar", "properties": {"name": "log", "image": "busybox",
                 "livenessProbe": {"exec": {"command": ["true"]}, "httpGet": {"port": 80}}}}]}]},
             "status": {"status": "running"}}
            """)
        let (rendered, diagnostics) = RenderPipeline().render(json: json)
        #expect(rendered == nil)
        #expect(diagnostics.map(\.description) == [
            "error: components[0].properties.imagee: unknown property 'imagee'; did you mean 'image'?",
            "error: components[0].traits[0].properties.livenessProbe: sets both 'exec' and 'httpGet'; a probe takes exactly one of 'exec', 'httpGet', 'tcpSocket' or 'grpc'\n  hint: keep one of 'exec' and 'httpGet'",
        ])
        #expect(diagnostics.allSatisfy { $0.location == nil && $0.path != nil })
    }

    @Test("numbers from JSON validate as integers and quantities")
    func numbers() throws {
        let json = try JSONReader().read("""
            {"apiVersion": "core.oam.dev/v1beta1", "kind": "Application", "metadata": {"name": "a"},
             "spec": {"components": [{"name": "c", "type": "worker", "properties": {"image": "x", "cpu": 0.5, "memory": "64Mi"},
               "traits": [{"type": "scaler", "properties": {"replicas": 3}}]}]}}
            """)
        let (rendered, diagnostics) = RenderPipeline().render(json: json)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let deployment = try #require(rendered?.objects.first?.object.json)
        #expect(deployment[path: ["spec", "replicas"]] == 3)
        #expect(deployment[path: ["spec", "template", "spec", "containers"]]?.array?.first?[path: ["resources", "requests", "cpu"]] == "0.5")
    }
}
