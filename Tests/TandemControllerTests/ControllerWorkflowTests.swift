import Foundation
import KubeClient
import KubeModel
import KubeTestServer
import TandemController
import TandemJSON
import TandemTestSupport
import TandemWorkflow
import Testing

/// An Application's workflow run by the controller: staging, a suspend for approval, then
/// production; its state only in the cluster (`status.workflow`), so that another replica
/// resumes it; a resync of a finished workflow writes nothing.
@Suite struct ControllerWorkflowTests {
    static let application: JSONValue = [
        "apiVersion": "core.oam.dev/v1beta1", "kind": "Application", "metadata": ["name": "shop", "namespace": "default"],
        "spec": [
            "components": [["name": "web", "type": "worker", "properties": ["image": "nginx:1.27"]]],
            "policies": [
                ["name": "staging", "type": "topology", "properties": ["clusters": ["local"], "namespace": "staging"]],
                ["name": "production", "type": "topology", "properties": ["clusters": ["local"], "namespace": "production"]],
            ],
            "workflow": ["steps": [
                ["name": "deploy-staging", "type": "deploy", "properties": ["policies": ["staging"]]],
                ["name": "approval", "type": "suspend", "properties": ["message": "check staging first"]],
                ["name": "deploy-production", "type": "deploy", "properties": ["policies": ["production"]]],
            ]],
        ],
    ]

    func deployment(_ setup: ControllerTests.Setup, namespace: String) async -> JSONValue? {
        await setup.server.object(apiVersion: "apps/v1", kind: "Deployment", namespace: namespace, name: "web")
    }

    @Test func stagingApprovalProductionAcrossAReplicaChange() async throws {
        let setup = try await ControllerTests.Setup()
        for namespace in ["staging", "production"] { try await setup.client.apply(KubeObject(.namespace, name: namespace)) }
        let first = try setup.start(identity: "first")
        try await setup.apply(Self.application)

        // Staging delivered, then suspended for approval: KubeVela's status shape and words.
        #expect(await setup.eventually("suspended at the approval") {
            await setup.application("shop")?[path: ["status", "status"]] == "workflowSuspending"
        })
        let suspended = try #require(await setup.application("shop")?[path: ["status", "workflow"]])
        #expect(suspended["status"] == "suspending")
        #expect(suspended["suspend"] == true)
        #expect(suspended["appRevision"] == "shop-v1")
        #expect(suspended["contextBackend"]?["name"] == "workflow-shop-context")
        let steps = suspended["steps"]?.array ?? []
        #expect(steps.compactMap { $0["name"]?.string } == ["deploy-staging", "approval", "deploy-production"])
        #expect(steps.compactMap { $0["phase"]?.string } == ["succeeded", "suspending", "pending"], "\(suspended)")
        #expect(steps.allSatisfy { $0["id"]?.string?.isEmpty == false })
        #expect(await deployment(setup, namespace: "staging") != nil)
        #expect(await deployment(setup, namespace: "production") == nil)

        // The replica goes away and another takes over: the state is only in the cluster.
        await first.stop()
        let second = try setup.start(identity: "second")
        #expect(await setup.eventually("the second replica has looked") { setup.reconciles(second, "success") >= 1 })
        #expect(await setup.application("shop")?[path: ["status", "status"]] == "workflowSuspending")
        #expect(await deployment(setup, namespace: "production") == nil, "a new replica did not skip the approval")

        // Resumed as vela workflow resume does it: a patch of status.workflow.
        var status = try await ApplicationWorkflowState.read(KubeObject(json: try #require(await setup.application("shop"))), client: setup.client)
        try status.resume(step: nil)
        try await ApplicationWorkflowState.write(status, application: "shop", namespace: "default", client: setup.client)
        #expect(await setup.eventually("running") { await setup.application("shop")?[path: ["status", "status"]] == "running" })
        let done = await setup.application("shop")?[path: ["status", "workflow"]]
        #expect(done?["status"] == "succeeded", "\(String(describing: done))")
        #expect(done?["steps"]?.array?.compactMap { $0["phase"]?.string } == ["succeeded", "succeeded", "succeeded"])
        #expect(await deployment(setup, namespace: "production") != nil)

        // A third replica resyncs the finished workflow: it reads, and writes nothing.
        await second.stop()
        let before = await setup.server.requests().count
        let third = try setup.start(identity: "third")
        #expect(await setup.eventually("the third replica has looked") { setup.reconciles(third, "success") >= 1 })
        let writes = await setup.server.requests()[before...].filter { request in
            request.userAgent == "tandem-third" && !["GET", "LIST", "WATCH"].contains(request.method)
        }
        #expect(writes.isEmpty, "\(writes.map { "\($0.method) \($0.path)" })")
        await setup.finish()
    }

    @Test(Kubectl.isNeeded) func kubectlGetAppShowsWhereTheWorkflowStands() async throws {
        let setup = try await ControllerTests.Setup()
        try setup.start()
        try await setup.apply([
            "apiVersion": "core.oam.dev/v1beta1", "kind": "Application", "metadata": ["name": "waiting", "namespace": "default"],
            "spec": [
                "components": [["name": "web", "type": "worker", "properties": ["image": "nginx:1.27"]]],
                "workflow": ["steps": [["name": "approve", "type": "suspend"],
                                       ["name": "roll-out", "type": "apply-component", "properties": ["component": "web"]]]],
            ],
        ])
        #expect(await setup.eventually("suspended") {
            await setup.application("waiting")?[path: ["status", "status"]] == "workflowSuspending"
        })
        let kubeconfig = FileManager.default.temporaryDirectory.appendingPathComponent("kubeconfig-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: kubeconfig) }
        try await setup.server.writeKubeconfig(to: kubeconfig)
        let table = try Kubectl.run(["get", "app", "waiting", "-n", "default"], environment: ["KUBECONFIG": kubeconfig])
        #expect(table.status == 0, "\(table.output)")
        #expect(table.stdout.contains("workflowSuspending"), "\(table.stdout)")
        let phase = try Kubectl.run(["get", "app", "waiting", "-n", "default", "-o", "jsonpath={.status.workflow.steps[0].phase}"],
                                    environment: ["KUBECONFIG": kubeconfig])
        #expect(phase.stdout == "suspending", "\(phase.output)")
        await setup.finish()
    }

    @Test func aFailedStepIsInTheStatusWithItsNameAndMessage() async throws {
        let setup = try await ControllerTests.Setup()
        try setup.start()
        try await setup.apply([
            "apiVersion": "core.oam.dev/v1beta1", "kind": "Application", "metadata": ["name": "flaky", "namespace": "default"],
            "spec": [
                "components": [["name": "app", "type": "worker", "properties": ["image": "busybox:1.36", "cmd": ["sh", "-c", "exit 1"]]]],
                "workflow": ["steps": [["name": "roll-out", "type": "apply-component", "properties": ["component": "app"]]]],
            ],
        ])
        #expect(await setup.eventually("the workflow stopped") {
            let phase = await setup.application("flaky")?[path: ["status", "status"]]?.string
            return phase == "workflowFailed" || phase == "workflowTerminated"
        })
        let step = await setup.application("flaky")?[path: ["status", "workflow", "steps"]]?.array?.first
        #expect(step?["name"] == "roll-out")
        #expect(step?["phase"] == "failed")
        #expect(step?["message"]?.string?.contains("component 'app'") == true, "\(String(describing: step))")
        await setup.finish()
    }
    /// `status.workflow.appRevision` names the ApplicationRevision delivered (`APP-vN`, the N of
    /// `status.latestRevision`), not the Application's generation: a spec the controller refused
    /// is no revision, and bringing an earlier spec back is a new one.
    @Test func theWorkflowNamesTheRevisionItDelivers() async throws {
        let setup = try await ControllerTests.Setup()
        try await setup.client.apply(KubeObject(json: ApplicationRevisionCRD.crd))
        try setup.start()
        func application(image: String, type: String = "worker") -> JSONValue {
            ["apiVersion": "core.oam.dev/v1beta1", "kind": "Application", "metadata": ["name": "held", "namespace": "default"],
             "spec": [
                "components": [["name": "web", "type": .string(type), "properties": ["image": .string(image)]]],
                "workflow": ["steps": [["name": "approve", "type": "suspend"],
                                       ["name": "roll-out", "type": "apply-component", "properties": ["component": "web"]]]],
             ]]
        }
        func workflowAt(_ revision: String) async -> Bool {
            let status = await setup.application("held")?["status"]
            return status?[path: ["workflow", "appRevision"]] == .string(revision) && status?["status"] == "workflowSuspending"
        }
        // Generation 1 is refused (an unknown component type): no revision.
        try await setup.apply(application(image: "nginx:1.27", type: "no-such-type"))
        #expect(await setup.eventually("refused") { await setup.application("held")?[path: ["status", "status"]] == "failed" })
        // Generation 2 is revision 1.
        try await setup.apply(application(image: "nginx:1.27"))
        #expect(await setup.eventually("revision 1 suspended") { await workflowAt("held-v1") })
        #expect(await setup.application("held")?[path: ["status", "latestRevision", "name"]] == "held-v1")
        #expect(await setup.application("held")?[path: ["metadata", "generation"]] == 2)
        // A status-only change (the workflow's own) and then a spec change: revision 2, no number skipped.
        try await setup.apply(application(image: "nginx:1.28"))
        #expect(await setup.eventually("revision 2 suspended") { await workflowAt("held-v2") })
        #expect(await setup.application("held")?[path: ["status", "latestRevision", "revision"]] == 2)
        // Revision 1's spec brought back (what `tandem rollback` writes): revision 3, restoring 1.
        try await setup.apply(application(image: "nginx:1.27"))
        #expect(await setup.eventually("revision 3 suspended") { await workflowAt("held-v3") })
        #expect(await setup.application("held")?[path: ["status", "latestRevision", "name"]] == "held-v3")
        let restoring = await setup.server.object(apiVersion: "core.oam.dev/v1beta1", kind: "ApplicationRevision", namespace: "default", name: "held-v3")
        #expect(restoring?[path: ["metadata", "annotations", "tandem.oam.dev/restores-revision"]] == "1")
        await setup.finish()
    }
    /// Without a workflow, an Application with topology policies gets KubeVela's default one:
    /// a `deploy-POLICY` step per topology policy, in order, each waiting for the previous
    /// environment to be healthy. No simulated kubelet here: staging is healthy when the test
    /// says so, and production is not applied before.
    @Test func topologiesWithoutAWorkflowAreDeliveredOneAfterAnother() async throws {
        let setup = try await ControllerTests.Setup(simulation: false)
        for namespace in ["staging", "production"] { try await setup.client.apply(KubeObject(.namespace, name: namespace)) }
        try setup.start()
        var application = Self.application
        application[path: ["spec", "workflow"]] = nil
        try await setup.apply(application)

        #expect(await setup.eventually("staging applied") { await deployment(setup, namespace: "staging") != nil })
        #expect(await setup.eventually("the pass has judged staging") {
            await setup.application("shop")?[path: ["status", "workflow", "steps"]]?.array?.first?["phase"] == "running"
        })
        let running = try #require(await setup.application("shop")?["status"])
        #expect(running["status"] == "runningWorkflow")
        let steps = running[path: ["workflow", "steps"]]?.array ?? []
        #expect(steps.compactMap { $0["name"]?.string } == ["deploy-staging", "deploy-production"], "\(running)")
        #expect(steps.compactMap { $0["type"]?.string } == ["deploy", "deploy"])
        #expect(running[path: ["workflow", "appRevision"]] == "shop-v1")
        #expect(await deployment(setup, namespace: "production") == nil, "production waits for staging")

        // Staging's Deployment becomes available, as its controller would say.
        let resource = try await setup.client.resource(for: GroupVersionKind(apiVersion: "apps/v1", kind: "Deployment"))
        let generation = await deployment(setup, namespace: "staging")?[path: ["metadata", "generation"]] ?? 1
        let status: JSONValue = ["status": [
            "observedGeneration": generation, "replicas": 1, "updatedReplicas": 1, "readyReplicas": 1, "availableReplicas": 1,
            "conditions": [["type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"],
                           ["type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"]],
        ]]
        let _: JSONValue = try await setup.client.send(KubeRequest(
            .patch, resource.path(namespace: "staging", name: "web") + "/status",
            headers: [.init("Content-Type", "application/merge-patch+json")], body: JSONWriter.compactBytes(status)))
        #expect(await setup.eventually("production applied once staging is healthy") {
            await deployment(setup, namespace: "production") != nil
        })
        #expect(await setup.eventually("staging's step succeeded, production's runs") {
            let steps = await setup.application("shop")?[path: ["status", "workflow", "steps"]]?.array ?? []
            return steps.compactMap { $0["phase"]?.string } == ["succeeded", "running"]
        })
        await setup.finish()
    }
}
