import Foundation
import KubeClient
import KubeModel
import KubeTestServer
import TandemController
import TandemJSON
import TandemTestSupport
import Testing

/// The controller records a revision for each change of an Application's spec, owned by the
/// Application, and says the latest in `status.latestRevision`; a pass over an unchanged
/// Application writes none.
@Suite struct ControllerRevisionTests {
    @Test func eachChangeOfTheSpecIsARevisionAndNothingElseIs() async throws {
        let setup = try await ControllerTests.Setup()
        try await setup.client.apply(KubeObject(json: ApplicationRevisionCRD.crd))
        let controller = try setup.start()
        func latest() async -> JSONValue? { await setup.application("shop")?[path: ["status", "latestRevision"]] }
        func revisionWrites() async -> Int {
            await setup.server.requests().filter { $0.path.contains("/applicationrevisions") && $0.method != "GET" }.count
        }

        try await setup.apply(ControllerTests.application("shop", components: [ControllerTests.worker("web", sidecar: false)]))
        #expect(await setup.eventually("revision 1") { await latest()?["name"] == "shop-v1" })
        #expect(await latest()?["revision"] == 1)
        let first = await setup.server.object(apiVersion: "core.oam.dev/v1beta1", kind: "ApplicationRevision", namespace: "default", name: "shop-v1")
        let owner = first?[path: ["metadata", "ownerReferences"]]?.array?.first
        #expect(owner?["kind"] == "Application" && owner?["name"] == "shop" && owner?["controller"] == true)
        #expect(first?[path: ["spec", "application", "spec", "components"]]?.array?.first?["name"] == "web")
        #expect(await latest()?["revisionHash"] == first?[path: ["metadata", "labels", "app.oam.dev/app-revision-hash"]])

        // An annotation is no change of the spec: the controller passes over it and writes no revision.
        let writes = await revisionWrites()
        let passes = setup.reconciles(controller, "success")
        var annotated = ControllerTests.application("shop", components: [ControllerTests.worker("web", sidecar: false)])
        annotated[path: ["metadata", "annotations"]] = ["note": "hello"]
        try await setup.apply(annotated)
        #expect(await setup.eventually("a pass over the annotated Application") { setup.reconciles(controller, "success") > passes })
        #expect(await revisionWrites() == writes)
        #expect(await latest()?["name"] == "shop-v1")

        try await setup.apply(ControllerTests.application("shop", components: [ControllerTests.worker("web", image: "busybox:1.37", sidecar: false)]))
        #expect(await setup.eventually("revision 2") { await latest()?["name"] == "shop-v2" })
        let kept = await setup.server.objects(apiVersion: "core.oam.dev/v1beta1", kind: "ApplicationRevision", namespace: "default")
        #expect(kept.compactMap { $0[path: ["metadata", "name"]]?.string }.sorted() == ["shop-v1", "shop-v2"])
        await setup.finish()
    }

    @Test func theControllerKeepsAsManyRevisionsAsItIsTold() async throws {
        let setup = try await ControllerTests.Setup()
        try setup.start(revisionLimit: 2)
        for version in 1...3 {
            try await setup.apply(ControllerTests.application("shop", components: [ControllerTests.worker("web", image: "busybox:1.\(version)", sidecar: false)]))
            #expect(await setup.eventually("revision \(version)") {
                await setup.application("shop")?[path: ["status", "latestRevision", "revision"]] == .int(version)
            })
        }
        let kept = await setup.server.objects(apiVersion: "v1", kind: "Secret", namespace: "default")
            .filter { $0["type"] == "tandem.oam.dev/revision" }.compactMap { $0[path: ["metadata", "name"]]?.string }
        #expect(kept.sorted() == ["tandem.revision.shop.v2", "tandem.revision.shop.v3"])
        await setup.finish()
    }

    /// Without the ApplicationRevision kind, the controller keeps its revisions in Secrets,
    /// owned by the Application as well.
    @Test func withoutTheKindRevisionsAreSecrets() async throws {
        let setup = try await ControllerTests.Setup()
        try setup.start()
        try await setup.apply(ControllerTests.application("shop", components: [ControllerTests.worker("web", sidecar: false)]))
        #expect(await setup.eventually("revision 1") {
            await setup.application("shop")?[path: ["status", "latestRevision", "name"]] == "shop-v1"
        })
        let secret = await setup.server.object(apiVersion: "v1", kind: "Secret", namespace: "default", name: "tandem.revision.shop.v1")
        #expect(secret?["type"] == "tandem.oam.dev/revision")
        #expect(secret?[path: ["metadata", "ownerReferences"]]?.array?.first?["kind"] == "Application")
        await setup.finish()
    }
}
