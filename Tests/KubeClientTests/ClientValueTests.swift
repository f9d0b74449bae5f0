import KubeClient
import KubeModel
import Synchronization
import TandemJSON
import Testing

/// Every request a client sends goes out under its field manager, and in a dry run asks the
/// server to store nothing: the client value decides, not each caller.
@Suite struct ClientValueTests {
    /// Answers every request with an empty object, and keeps what was asked.
    final class RecordingAPI: KubeAPI {
        let requests = Mutex<[KubeRequest]>([])
        var server: String { "https://recorded" }
        var requestCount: Int { requests.withLock { $0.count } }

        func sendRaw(_ request: KubeRequest) async throws -> KubeResponse {
            requests.withLock { $0.append(request) }
            return KubeResponse(status: 200, body: Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}"#.utf8))
        }

        func open(_ request: KubeRequest) async throws -> KubeStreamingResponse {
            requests.withLock { $0.append(request) }
            return KubeStreamingResponse(status: 200, headers: [], body: AsyncThrowingStream { $0.finish() })
        }

        func resource(for gvk: GroupVersionKind) async throws -> APIResource {
            APIResource(gvk: gvk, plural: gvk.kind.lowercased() + "s", namespaced: true, verbs: [])
        }

        func resource(for groupKind: GroupKind) async throws -> APIResource {
            try await resource(for: GroupVersionKind(group: groupKind.group, version: "v1", kind: groupKind.kind))
        }

        func forgetDiscovery() async {}
        func shutdown() async {}
    }

    static func query(_ request: KubeRequest, _ name: String) -> [String] {
        request.query.filter { $0.name == name }.map(\.value)
    }

    @Test func writesNameTheClientsManagerAndReadsAreLeftAlone() async throws {
        let api = RecordingAPI()
        let client = KubeClient(api).managed(by: "tandem-controller")
        let object = KubeObject(.configMap, name: "x", namespace: "default")
        try await client.apply(object, options: ApplyOptions(force: true))
        _ = try await client.get(object.reference)
        try await client.delete(object.reference)
        // A request built by hand (a status patch) and one that names another manager are stamped too.
        try await client.send(KubeRequest(.patch, "/api/v1/namespaces/default/configmaps/x/status",
                                          query: [.init("fieldManager", "someone-else")]))
        try await client.send(KubeRequest(.post, "/api/v1/namespaces/default/events"))
        let sent = api.requests.withLock { $0 }
        #expect(sent.map(\.method) == [.patch, .get, .delete, .patch, .post])
        #expect(sent.map { Self.query($0, "fieldManager") } == [["tandem-controller"], [], [], ["tandem-controller"], ["tandem-controller"]])
        #expect(sent.allSatisfy { Self.query($0, "dryRun").isEmpty })
        #expect(Self.query(sent[0], "force") == ["true"])
    }

    @Test func aDryRunningClientStoresNothingAnywhere() async throws {
        let api = RecordingAPI()
        let client = KubeClient(api).dryRunning()
        #expect(client.fieldManager == "tandem")
        let object = KubeObject(.configMap, name: "x", namespace: "default")
        try await client.apply(object)
        try await client.delete(object.reference)
        _ = try await client.list(.configMap, namespace: "default")
        let sent = api.requests.withLock { $0 }
        #expect(sent.map { Self.query($0, "dryRun") } == [["All"], ["All"], []])
        // The same endpoint, no longer dry: its requests change things.
        try await client.dryRunning(false).apply(object)
        #expect(Self.query(try #require(api.requests.withLock { $0.last }), "dryRun") == [])
    }
}
