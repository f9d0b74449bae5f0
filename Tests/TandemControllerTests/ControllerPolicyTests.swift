import Foundation
import KubeClient
import KubeModel
import KubeTestServer
import TandemController
import TandemJSON
import Testing

/// The runtime policies in the controller: a resync must not undo what apply-once lets drift.
@Suite struct ControllerPolicyTests {
    @Test func aResyncOfAnUnchangedSpecSendsNoWriteToADriftedApplyOnceObject() async throws {
        let setup = try await ControllerTests.Setup()
        try setup.start(identity: "a")
        var application = ControllerTests.application("once", components: [ControllerTests.worker("web", sidecar: false)])
        application[path: ["spec", "policies"]] = [["name": "apply-once", "type": "apply-once", "properties": ["enable": true]]]
        try await setup.apply(application)
        #expect(await setup.eventually("once is running") { await setup.application("once")?[path: ["status", "status"]] == "running" })

        // Someone else changes the image.
        let drift = KubeObject(json: ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default"],
                                      "spec": ["template": ["spec": ["containers": [["name": "web", "image": "busybox:drifted"]]]]]])
        try await setup.client.managed(by: "kubectl").apply(drift, options: ApplyOptions(force: true))

        // A new controller (a restart: nothing applied in this process yet) resyncs the same spec.
        let (first, run) = setup.runs[0]
        await first.stop()
        _ = await run.result
        let before = await setup.server.requests().count
        let second = try setup.start(identity: "b")
        #expect(await setup.eventually("the second controller reconciled once") { setup.reconciles(second, "success") >= 1 })
        let writes = await setup.server.requests().dropFirst(before)
            .filter { $0.path.hasSuffix("/deployments/web") && $0.method != "GET" }
        #expect(writes.isEmpty, "\(writes.map { "\($0.method) \($0.path)" })")
        let image = await setup.deployment("web")?[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"]
        #expect(image == "busybox:drifted")

        // A changed spec is applied, drift or not.
        application[path: ["spec", "components"]] = [ControllerTests.worker("web", image: "busybox:1.37", sidecar: false)]
        try await setup.apply(application)
        #expect(await setup.eventually("the changed spec is applied") {
            await setup.deployment("web")?[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"] == "busybox:1.37"
        })
        await setup.finish()
    }

    @Test func aReadOnlyObjectIsJudgedForHealthAndNeverWritten() async throws {
        let setup = try await ControllerTests.Setup()
        let labels: JSONValue = ["app.oam.dev/name": "reader", "app.oam.dev/component": "web"]
        try await setup.apply(["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default"],
                               "spec": ["selector": ["matchLabels": labels],
                                        "template": ["metadata": ["labels": labels],
                                                     "spec": ["containers": [["name": "web", "image": "busybox:theirs"]]]]]])
        try setup.start()
        var application = ControllerTests.application("reader", components: [ControllerTests.worker("web", sidecar: false)])
        application[path: ["spec", "policies"]] = [["name": "read-only", "type": "read-only",
                                                   "properties": ["rules": [["selector": ["resourceTypes": ["Deployment"]]]]]]]
        try await setup.apply(application)
        let running = await setup.eventually("reader is running") { await setup.application("reader")?[path: ["status", "status"]] == "running" }
        let status = await setup.application("reader")?["status"]
        #expect(running, "\(String(describing: status))")
        let deployment = await setup.deployment("web")
        #expect(deployment?[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"] == "busybox:theirs")
        #expect(deployment?[path: ["metadata", "labels", "applyset.kubernetes.io/part-of"]] == nil)
        await setup.finish()
    }

    @Test func aChangedPolicyIsAppliedThoughTheObjectsRenderTheSame() async throws {
        let setup = try await ControllerTests.Setup()
        try setup.start()
        var application = ControllerTests.application("kept", components: [ControllerTests.worker("web", sidecar: false)])
        try await setup.apply(application)
        #expect(await setup.eventually("kept is running") { await setup.application("kept")?[path: ["status", "status"]] == "running" })
        application[path: ["spec", "policies"]] = [["name": "keep", "type": "garbage-collect",
                                                   "properties": ["rules": [["selector": ["componentNames": ["web"]], "strategy": "never"]]]]]
        try await setup.apply(application)
        #expect(await setup.eventually("the Deployment records its strategy") {
            await setup.deployment("web")?[path: ["metadata", "annotations", "tandem.oam.dev/garbage-collect"]] == "never"
        })
        // Deleting the Application leaves it, out of the set.
        try await setup.client.delete(ObjectReference(gvk: ApplicationKey.gvk, namespace: "default", name: "kept"))
        #expect(await setup.eventually("the Application is gone") { await setup.application("kept") == nil })
        #expect(await setup.deployment("web")?[path: ["metadata", "labels", "applyset.kubernetes.io/part-of"]] == nil)
        #expect(await setup.deployment("web") != nil)
        await setup.finish()
    }
}
