import Foundation
import KubeClient
import KubeModel
import KubeTestServer
import TandemDefinitions
import TandemDeploy
import TandemJSON
import Testing

/// The revision store against the API test server, on both of its backings: ApplicationRevision
/// objects where the cluster serves the kind, Secrets where it does not.
@Suite struct RevisionStoreTests {
    /// A server, with the ApplicationRevision kind served when `backing` asks for it.
    static func store(_ backing: RevisionStore.Backing, historyLimit: Int = RevisionStore.defaultHistoryLimit)
        async throws -> (KubeTestServer, KubeClient, RevisionStore) {
        let server = try await KubeTestServer.start()
        let client = try KubeClient(ClusterConnection(server: server.url))
        if backing == .applicationRevisions {
            try await client.apply(KubeObject(json: crd))
            for _ in 0..<100 where (try? await client.resource(for: ApplicationRevision.gvk)) == nil {
                await client.forgetDiscovery()
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        #expect(try await RevisionStore.backing(client) == backing)
        let store = try await RevisionStore.open(client: client, application: "shop", namespace: "default", historyLimit: historyLimit)
        return (server, client, store)
    }

    /// The kind as a cluster with KubeVela serves it (tandem install prints the same).
    static let crd: JSONValue = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "applicationrevisions.core.oam.dev"],
        "spec": [
            "group": "core.oam.dev", "scope": "Namespaced",
            "names": ["kind": "ApplicationRevision", "listKind": "ApplicationRevisionList", "plural": "applicationrevisions",
                      "singular": "applicationrevision"],
            "versions": [["name": "v1beta1", "served": true, "storage": true, "schema": ["openAPIV3Schema": [
                "type": "object", "x-kubernetes-preserve-unknown-fields": true]]]],
        ],
    ]

    static func content(image: String) -> RevisionContent {
        let application: JSONValue = [
            "apiVersion": "core.oam.dev/v1beta1", "kind": "Application", "metadata": ["name": "shop"],
            "spec": ["components": [["name": "web", "type": "worker", "properties": ["image": .string(image)]]]],
        ]
        return RevisionContent(application: application, namespace: "default", registry: .builtIn)
    }

    @Test(arguments: [RevisionStore.Backing.secrets, .applicationRevisions])
    func revisionsAreNumberedKeptAndReadBack(_ backing: RevisionStore.Backing) async throws {
        let (server, client, store) = try await Self.store(backing)
        defer { Task { await client.shutdown(); try? await server.shutdown() } }

        let first = try await store.next(for: Self.content(image: "web:1"))
        #expect(first.isNew && first.number == 1)
        try await first.record()
        // The same content again is the same revision: nothing to record.
        let again = try await store.next(for: Self.content(image: "web:1"))
        #expect(!again.isNew && again.number == 1)
        try await store.next(for: Self.content(image: "web:2")).record()
        // Back to the first content: a new revision that says which one it restores.
        let back = try await store.next(for: Self.content(image: "web:1"))
        #expect(back.isNew && back.number == 3 && back.revision.restores == 1)
        try await back.record()

        let revisions = try await store.list()
        #expect(revisions.map(\.name) == ["shop-v1", "shop-v2", "shop-v3"])
        #expect(revisions.map(\.restores) == [nil, nil, 1])
        #expect(revisions.allSatisfy { $0.created != nil })
        #expect(revisions[1].content == Self.content(image: "web:2"), "the Application is kept as it was")
        #expect(revisions[1].content.application[path: ["metadata", "namespace"]] == "default")
        #expect(RevisionChanges.summary(of: revisions[1], previous: revisions[0]) == "component web changed")

        // Where they are kept.
        let kind = backing == .secrets ? "Secret" : "ApplicationRevision"
        let apiVersion = backing == .secrets ? "v1" : "core.oam.dev/v1beta1"
        let kept = await server.objects(apiVersion: apiVersion, kind: kind, namespace: "default")
        #expect(kept.count == 3)
        if backing == .secrets {
            #expect(kept.allSatisfy { $0["type"] == "tandem.oam.dev/revision" })
            #expect(kept.compactMap { $0[path: ["metadata", "name"]]?.string }.sorted()
                == ["tandem.revision.shop.v1", "tandem.revision.shop.v2", "tandem.revision.shop.v3"])
        } else {
            let second = kept.first { $0[path: ["metadata", "name"]] == "shop-v2" }
            #expect(second?[path: ["spec", "application", "spec", "components"]]?.array?.first?[path: ["properties", "image"]] == "web:2")
            #expect(second?[path: ["metadata", "labels", "app.oam.dev/app-revision-hash"]]?.string == revisions[1].content.digest)
        }
        #expect(try await store.deleteAll() == 3)
        #expect(try await store.list().isEmpty)
    }

    @Test(arguments: [RevisionStore.Backing.secrets, .applicationRevisions])
    func theOldestBeyondTheHistoryLimitAreDeleted(_ backing: RevisionStore.Backing) async throws {
        let (server, client, store) = try await Self.store(backing, historyLimit: 3)
        defer { Task { await client.shutdown(); try? await server.shutdown() } }
        for version in 1...5 { try await store.next(for: Self.content(image: "web:\(version)")).record() }
        #expect(try await store.list().map(\.number) == [3, 4, 5])
        // With a limit of one, the current revision is still kept.
        var single = store
        single.historyLimit = 1
        try await single.next(for: Self.content(image: "web:6")).record()
        #expect(try await store.list().map(\.number) == [6])
    }

    /// Revisions kept in Secrets before the kind was installed go on being counted and trimmed.
    @Test func installingTheKindContinuesTheNumbering() async throws {
        let (server, client, secrets) = try await Self.store(.secrets)
        defer { Task { await client.shutdown(); try? await server.shutdown() } }
        for version in 1...2 { try await secrets.next(for: Self.content(image: "web:\(version)")).record() }
        try await client.apply(KubeObject(json: Self.crd))
        for _ in 0..<100 where (try? await client.resource(for: ApplicationRevision.gvk)) == nil {
            await client.forgetDiscovery()
            try await Task.sleep(for: .milliseconds(50))
        }
        let store = try await RevisionStore.open(client: client, application: "shop", namespace: "default", historyLimit: 2)
        #expect(store.backing == .applicationRevisions)
        let third = try await store.next(for: Self.content(image: "web:3"))
        #expect(third.number == 3)
        try await third.record()
        #expect(try await store.list().map(\.number) == [2, 3])
        let kept = await server.objects(apiVersion: "v1", kind: "Secret", namespace: "default").compactMap { $0[path: ["metadata", "name"]]?.string }
        #expect(kept == ["tandem.revision.shop.v2"], "the oldest Secret went with the limit")
    }

    @Test func theDefaultHistoryLimitIsTen() async throws {
        let (server, client, store) = try await Self.store(.secrets)
        defer { Task { await client.shutdown(); try? await server.shutdown() } }
        for version in 1...12 { try await store.next(for: Self.content(image: "web:\(version)")).record() }
        #expect(try await store.list().map(\.number) == Array(3...12))
    }

    @Test func theControllersRevisionsAreOwnedByTheApplication() async throws {
        let (server, client, plain) = try await Self.store(.applicationRevisions)
        defer { Task { await client.shutdown(); try? await server.shutdown() } }
        // Any object stands for the Application here (the server collects what a missing owner owned).
        let owner = try await client.apply(KubeObject(json: ["apiVersion": "v1", "kind": "ConfigMap",
                                                             "metadata": ["name": "shop", "namespace": "default"]])).object
        let uid = try #require(owner.json[path: ["metadata", "uid"]])
        let store = RevisionStore(client: client, application: "shop", namespace: "default", backing: plain.backing, owner: owner)
        try await store.next(for: Self.content(image: "web:1")).record()
        let object = await server.object(apiVersion: "core.oam.dev/v1beta1", kind: "ApplicationRevision", namespace: "default", name: "shop-v1")
        let reference = object?[path: ["metadata", "ownerReferences"]]?.array?.first
        #expect(reference?["kind"] == "ConfigMap" && reference?["uid"] == uid && reference?["controller"] == true)
        // The Application's status says which revision is the latest: it is not read again.
        let latest = try #require(try await store.list().first).latestRevisionStatus
        #expect(latest == ["name": "shop-v1", "revision": 1, "revisionHash": .string(Self.content(image: "web:1").digest)])
        let before = await server.requests().count
        let same = try await store.next(for: Self.content(image: "web:1"), latest: latest)
        #expect(!same.isNew && same.number == 1)
        #expect(await server.requests().count == before)
    }
}
