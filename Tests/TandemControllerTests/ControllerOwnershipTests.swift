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
        setup.start()
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
}
