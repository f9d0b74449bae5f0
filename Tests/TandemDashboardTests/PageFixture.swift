import KubeModel
import TandemDeploy
import TandemJSON
@testable import TandemDashboard

/// An application `web` deployed by `tandem up`: one Deployment with one pod of two
/// containers, and an old readiness warning about the pod, assessed as the dashboard does.
struct PageFixture {
    var ready = true
    var podPhase = "Running"
    var workflow: JSONValue?
    /// False: the page is not given the live pod (as for a local run), only its containers' health.
    var livePod = true

    var inventory: Inventory {
        let deployment = ObjectReference(gvk: GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"), namespace: "default", name: "web")
        return Inventory(application: "web", components: [
            Inventory.Component(name: "web", type: "webservice", objects: [Inventory.Entry(reference: deployment, trait: nil, isWorkload: true)],
                                containers: [Inventory.Container(name: "web", role: .main, trait: nil),
                                             Inventory.Container(name: "proxy", role: .sidecar, trait: nil)]),
        ])
    }

    var deployment: KubeObject {
        let count = ready ? 1 : 0
        return KubeObject(json: [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default"],
            "spec": ["replicas": 1, "selector": ["matchLabels": ["app": "web"]]],
            "status": ["replicas": 1, "updatedReplicas": 1, "readyReplicas": .int(count), "availableReplicas": .int(count),
                       "conditions": [["type": "Available", "status": ready ? "True" : "False"]]],
        ])
    }

    var pod: KubeObject {
        KubeObject(json: [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": "web-1", "namespace": "default", "labels": ["app": "web", LabelKeys.appName: "web"]],
            "spec": ["containers": [["name": "web", "image": "web:1"], ["name": "proxy", "image": "proxy:1"]]],
            "status": ["phase": .string(podPhase), "containerStatuses": [
                ["name": "web", "ready": .bool(ready), "restartCount": 0, "state": ["running": [:]]],
                ["name": "proxy", "ready": true, "restartCount": 0, "state": ["running": [:]]],
            ]],
        ])
    }

    var warning: KubeObject {
        KubeObject(json: [
            "apiVersion": "v1", "kind": "Event", "metadata": ["name": "web-1.1", "namespace": "default"],
            "type": "Warning", "reason": "Unhealthy", "message": "Readiness probe failed: HTTP probe failed with statuscode: 503",
            "involvedObject": ["kind": "Pod", "name": "web-1", "namespace": "default"],
            "lastTimestamp": "2026-01-01T00:00:00Z", "count": 3,
        ])
    }

    var page: ApplicationPage {
        let health = ApplicationHealth.assess(inventory, namespace: "default", objects: [deployment.reference: deployment],
                                              pods: [pod], events: [warning])
        let summary = ApplicationSummary(name: "web", namespace: "default", source: .commandLine, components: ["web"],
                                         health: health.status.word, healthy: health.isHealthy,
                                         workflowPhase: workflow.flatMap { $0["status"]?.string }, created: nil)
        var page = ApplicationPage(summary: summary, health: health)
        page.pods = livePod ? [pod.name: pod] : [:]
        page.events = [ApplicationPage.event(warning)]
        page.workflow = workflow
        return page
    }

    var json: JSONValue { page.json }

    /// The first workload's first pod, as the page draws it.
    var podJSON: JSONValue? {
        json["components"]?.array?.first?["workloads"]?.array?.first?["pods"]?.array?.first
    }
}
