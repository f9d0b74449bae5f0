import KubeClient
import KubeModel
import TandemController
import TandemJSON
import Testing

/// What the controller writes, it writes as itself: the field manager of its configuration on
/// every object it applies, so that `tandem up` and the controller can be told apart.
@Suite struct ControllerOwnershipTests {
    static func managers(_ object: JSONValue?) -> [String] {
        (object?[path: ["metadata", "managedFields"]]?.array ?? []).compactMap { $0["manager"]?.string }
    }

    @Test func objectsTheControllerAppliesNameItsFieldManager() async throws {
        let setup = try await ControllerTests.Setup()
        try setup.start()
        try await setup.apply(ControllerTests.application("shop", components: [ControllerTests.worker("web", sidecar: false)]))
        #expect(await setup.eventually("shop is running") { await setup.application("shop")?[path: ["status", "status"]] == "running" })
        let deployment = await setup.deployment("web")
        let entries = deployment?[path: ["metadata", "managedFields"]]?.array ?? []
        #expect(entries.contains { $0["manager"] == "tandem-controller" && $0["operation"] == "Apply" })
        #expect(!Self.managers(deployment).contains("tandem"), "the command line's manager owns nothing the controller applied")
        // Its status and ApplySet labels on the Application are the controller's too; the spec stays the user's.
        let application = await setup.application("shop")
        #expect(Set(Self.managers(application)) == ["kubectl", "tandem-controller"])
        await setup.finish()
    }

    static func condition(_ application: JSONValue?, _ type: String) -> String? {
        application?[path: ["status", "conditions"]]?.array?.first { $0["type"]?.string == type }?["message"]?.string
    }

    @Test func anObjectThatIsNotTheApplicationsIsNamedWithAdviceForTheApplicationsOwner() async throws {
        let setup = try await ControllerTests.Setup()
        // Someone else's Deployment where the application's would go.
        try await setup.apply(["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default"],
                               "spec": ["selector": ["matchLabels": ["app": "web"]], "template": [
                                   "metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "web", "image": "nginx:1"]]]]]])
        try setup.start()
        try await setup.apply(ControllerTests.application("shop", components: [ControllerTests.worker("web", sidecar: false)]))
        #expect(await setup.eventually("the Applied condition names the Deployment") {
            Self.condition(await setup.application("shop"), "Applied")?.contains("deployment.apps/web") == true
        })
        let message = Self.condition(await setup.application("shop"), "Applied") ?? ""
        #expect(message.contains("exists and is not part of any ApplySet (managed by kubectl)"))
        #expect(message.contains("hint: owned by something other than this Application: rename the component or trait"))
        #expect(!message.contains("--take-over") && !message.contains("run up again"), "no command-line advice: \(message)")
        #expect(await setup.deployment("web")?[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"] == "nginx:1")
        await setup.finish()
    }

    @Test func healthNamesTheLastWarningEvent() async throws {
        let setup = try await ControllerTests.Setup()
        try setup.start()
        try await setup.apply(ControllerTests.application("shop", components: [
            ControllerTests.worker("web", image: "unpullable.invalid/web:1", sidecar: false),
        ]))
        #expect(await setup.eventually("the Ready condition names the kubelet's last warning") {
            Self.condition(await setup.application("shop"), "Ready")?.contains("(last event: Error: ") == true
        })
        await setup.finish()
    }

    @Test func fieldsWrittenAsTheCommandLinesManagerAreTakenOver() async throws {
        let setup = try await ControllerTests.Setup()
        try setup.start()
        try await setup.apply(ControllerTests.application("shop", components: [ControllerTests.worker("web", sidecar: false)]))
        #expect(await setup.eventually("shop is running") { await setup.application("shop")?[path: ["status", "status"]] == "running" })
        // The image, as a controller before this one wrote it: under `tandem`, the command line's manager.
        let patch: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default"],
                                "spec": ["template": ["spec": ["containers": [["name": "web", "image": "busybox:1.35"]]]]]]
        try await setup.client.managed(by: "tandem").apply(KubeObject(json: patch), options: ApplyOptions(force: true))

        try await setup.apply(ControllerTests.application("shop", components: [ControllerTests.worker("web", image: "busybox:1.37", sidecar: false)]))
        #expect(await setup.eventually("the new image is applied over the old manager's") {
            await setup.deployment("web")?[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"] == "busybox:1.37"
        })
        #expect(await setup.eventually("generation 2 is running") {
            let status = await setup.application("shop")?["status"]
            return status?["observedGeneration"] == 2 && status?["status"] == "running"
        })
        await setup.finish()
    }
}
