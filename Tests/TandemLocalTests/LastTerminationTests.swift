import Foundation
import KubeModel
import TandemDeploy
import TandemJSON
import Testing

/// Each container's last termination — reason, exit code, when — read from the pod as the
/// kubelet reports it: the same rule for `status` of a cluster and of a local application.
@Suite struct LastTerminationTests {
    static func health(containerStatus: JSONValue) throws -> ApplicationHealth {
        let deployment = KubeObject(json: try JSONReader().read(Array("""
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "default", "generation": 1},
             "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}}},
             "status": {"observedGeneration": 1, "replicas": 1, "updatedReplicas": 1, "readyReplicas": 1, "availableReplicas": 1}}
            """.utf8)))
        var pod = KubeObject(json: try JSONReader().read(Array("""
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-1", "namespace": "default", "labels": {"app": "web"}},
             "spec": {"containers": [{"name": "app", "image": "shop:1"}]}, "status": {"phase": "Running"}}
            """.utf8)))
        pod.json[path: ["status", "containerStatuses"]] = [containerStatus]
        let inventory = Inventory(application: "shop", components: [
            Inventory.Component(name: "web", type: "webservice", objects: [Inventory.Entry(reference: deployment.reference, trait: nil, isWorkload: true)],
                                containers: [Inventory.Container(name: "app", role: .main, trait: nil)]),
        ])
        return ApplicationHealth.assess(inventory, namespace: "default", objects: [deployment.reference: deployment], pods: [pod], events: [])
    }

    @Test func anOOMKilledContainerThatRunsAgainShowsItsLastTermination() throws {
        let health = try Self.health(containerStatus: try JSONReader().read(Array("""
            {"name": "app", "ready": true, "restartCount": 1, "state": {"running": {"startedAt": "2026-12-07T02:00:05Z"}},
             "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "finishedAt": "2026-12-07T02:00:04Z"}}}
            """.utf8)))
        let container = try #require(health.components.first?.containers.first)
        #expect(container.lastTermination == ContainerHealth.Termination(reason: "OOMKilled", exitCode: 137, finishedAt: "2026-12-07T02:00:04Z"))
        #expect(container.lastTermination?.summary == "OOMKilled, exit code 137, at 2026-12-07T02:00:04Z")
    }

    @Test func aTerminatedContainerShowsHowItEndedAndOneThatNeverEndedNothing() throws {
        let ended = try Self.health(containerStatus: try JSONReader().read(Array("""
            {"name": "app", "ready": false, "restartCount": 0,
             "state": {"terminated": {"exitCode": 0, "reason": "Completed", "finishedAt": "2026-12-07T02:01:00Z"}}}
            """.utf8)))
        #expect(ended.components.first?.containers.first?.lastTermination?.reason == "Completed")
        let running = try Self.health(containerStatus: try JSONReader().read(Array("""
            {"name": "app", "ready": true, "restartCount": 0, "state": {"running": {"startedAt": "2026-12-07T02:00:05Z"}}}
            """.utf8)))
        #expect(running.components.first?.containers.first?.lastTermination == nil)
    }
}
