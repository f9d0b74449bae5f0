import KubeClient
import KubeModel
import TandemController
import TandemJSON
import Testing

/// The controller watches the kinds an Application's ApplySet holds, whatever they are: an
/// application with cluster-scoped objects reaches `running`, and they are kept as applied.
@Suite struct ControllerKindTests {
    static func operatorApplication() -> JSONValue {
        ControllerTests.application("operator", components: [[
            "name": "controller", "type": "worker", "properties": ["image": "busybox:1.36"],
            "traits": [["type": "service-account", "properties": [
                "name": "operator", "create": true,
                "privileges": [["verbs": ["get", "list"], "apiGroups": [""], "resources": ["nodes"], "scope": "cluster"]],
            ]]],
        ]])
    }

    @Test func anApplicationWithClusterWidePrivilegesRuns() async throws {
        let setup = try await ControllerTests.Setup()
        try setup.start()
        try await setup.apply(Self.operatorApplication())
        #expect(await setup.eventually("operator is running") {
            await setup.application("operator")?[path: ["status", "status"]] == "running"
        })
        let message = await setup.application("operator")?[path: ["status", "conditions"]]?.array?
            .first { $0["type"] == "Ready" }?["message"]?.string
        #expect(message == "")
        #expect(await setup.server.object(apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", namespace: nil,
                                          name: "default:operator") != nil)

        // The ClusterRoleBinding is watched: deleted behind the controller's back, it is applied again.
        let bindings = await setup.server.objects(apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", namespace: nil)
        let binding = try #require(bindings.first { $0[path: ["metadata", "labels", "applyset.kubernetes.io/part-of"]] != nil })
        let name = try #require(binding[path: ["metadata", "name"]]?.string)
        let uid = binding[path: ["metadata", "uid"]]
        try await setup.client.delete(ObjectReference(gvk: .clusterRoleBinding, namespace: nil, name: name))
        #expect(await setup.eventually("the ClusterRoleBinding is applied again") {
            let again = await setup.server.object(apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding",
                                                  namespace: nil, name: name)
            return again != nil && again?[path: ["metadata", "uid"]] != uid
        })
        await setup.finish()
    }

    @Test func aKindTheControllerMayNotListDoesNotHoldUpItsStart() async throws {
        let setup = try await ControllerTests.Setup()
        // An Application whose ApplySet holds ClusterRoles, which this controller may not list.
        var application = Self.operatorApplication()
        application[path: ["metadata", "annotations"]] = ["applyset.kubernetes.io/contains-group-kinds": "ClusterRole.rbac.authorization.k8s.io"]
        try await setup.apply(application)
        await setup.server.inject(.status(403, method: "GET", path: "/apis/rbac.authorization.k8s.io/v1/clusterroles", times: nil))
        let controller = Controller(client: setup.client, configuration: ControllerConfiguration(
            concurrency: 2, leaderElection: false, cacheSyncTimeout: .seconds(600)))
        let run = Task { try await controller.run() }
        #expect(await setup.eventually("the controller is ready") { controller.isReady })
        await controller.stop()
        _ = await run.result
        await setup.finish()
    }
}
