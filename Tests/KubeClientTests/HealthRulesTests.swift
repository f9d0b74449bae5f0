import KubeModel
import TandemDeploy
import TandemJSON
import TandemRendering
import Testing

/// kstatus's rules, case by case, with the messages kstatus gives.
@Suite struct HealthRulesTests {
    static func object(_ yaml: JSONValue) -> KubeObject { KubeObject(json: yaml) }

    static func deployment(spec: Int = 2, replicas: Int, updated: Int, ready: Int, available: Int,
                           conditions: [JSONValue] = []) -> KubeObject {
        object(["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "generation": 2],
                "spec": ["replicas": .int(spec), "progressDeadlineSeconds": 600],
                "status": ["observedGeneration": 2, "replicas": .int(replicas), "updatedReplicas": .int(updated),
                           "readyReplicas": .int(ready), "availableReplicas": .int(available), "conditions": .array(conditions)]])
    }

    static let available: [JSONValue] = [
        ["type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"],
        ["type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"],
    ]

    @Test func deployments() {
        #expect(HealthRules.verdict(of: Self.deployment(replicas: 2, updated: 2, ready: 1, available: 1, conditions: Self.available))
            == HealthVerdict(.inProgress, reason: "LessAvailable", "Available: 1/2"))
        #expect(HealthRules.verdict(of: Self.deployment(replicas: 1, updated: 1, ready: 1, available: 1)).message == "Replicas: 1/2")
        #expect(HealthRules.verdict(of: Self.deployment(replicas: 2, updated: 2, ready: 2, available: 2, conditions: Self.available))
            == HealthVerdict(.current, "Deployment is available. Replicas: 2"))
        let stuck = Self.deployment(replicas: 2, updated: 2, ready: 0, available: 0, conditions: [
            ["type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
             "message": "ReplicaSet \"web-1\" has timed out progressing."],
        ])
        #expect(HealthRules.verdict(of: stuck).status == .failed)
        var stale = Self.deployment(replicas: 2, updated: 2, ready: 2, available: 2, conditions: Self.available)
        stale.json[path: ["metadata", "generation"]] = 3
        #expect(HealthRules.verdict(of: stale).reason == "LatestGenerationNotObserved")
        var deleting = stale
        deleting.json[path: ["metadata", "deletionTimestamp"]] = "2026-11-26T10:00:00Z"
        #expect(HealthRules.verdict(of: deleting).status == .terminating)
    }

    @Test func jobsMustFinish() {
        func job(_ status: JSONValue) -> KubeObject {
            Self.object(["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": "migrate"], "spec": ["completions": 1], "status": status])
        }
        #expect(HealthRules.verdict(of: job(["startTime": "2026-11-26T10:00:00Z", "active": 1])).status == .inProgress)
        #expect(HealthRules.verdict(of: job(JSONValue.object(JSONObject()))).reason == "JobNotStarted")
        #expect(HealthRules.verdict(of: job(["succeeded": 1, "conditions": [["type": "Complete", "status": "True"]]]))
            == HealthVerdict(.current, "Job Completed. succeeded: 1/1"))
        #expect(HealthRules.verdict(of: job(["failed": 7, "conditions": [["type": "Failed", "status": "True", "reason": "BackoffLimitExceeded",
                                                                            "message": "Job has reached the specified backoff limit"]]])).status == .failed)
    }

    @Test func podsServicesClaimsDefinitions() {
        let crashing = Self.object(["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web-1"], "status": [
            "phase": "Running", "conditions": [["type": "Ready", "status": "False"]],
            "containerStatuses": [["name": "shipper", "state": ["waiting": ["reason": "CrashLoopBackOff"]]]],
        ]])
        #expect(HealthRules.verdict(of: crashing) == HealthVerdict(.failed, reason: "ContainerCrashLooping", "Containers in CrashLoop state: shipper"))
        let balancer = Self.object(["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
                                    "spec": ["type": "LoadBalancer", "clusterIP": "10.96.0.10"]])
        #expect(HealthRules.verdict(of: balancer).status == .inProgress)
        var served = balancer
        served.json[path: ["status", "loadBalancer", "ingress"]] = [["ip": "192.0.2.10"]]
        #expect(HealthRules.verdict(of: served).status == .current)
        let claim = Self.object(["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "data"], "status": ["phase": "Pending"]])
        #expect(HealthRules.verdict(of: claim) == HealthVerdict(.inProgress, reason: "NotBound", "PVC is not Bound. phase: Pending"))
        let definition = Self.object(["apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": "x"],
                                      "status": ["conditions": [["type": "Established", "status": "True"]]]])
        #expect(HealthRules.verdict(of: definition).status == .current)
    }

    /// A sidecar that crash-loops fails its component, named with its role, reason, restarts
    /// and the last event about it.
    @Test func aCrashLoopingSidecarIsNamed() throws {
        let inventory = Inventory(application: "shop", components: [
            Inventory.Component(name: "web", type: "webservice",
                                objects: [Inventory.Entry(reference: ObjectReference(gvk: .deployment, namespace: "shop", name: "web"),
                                                          trait: nil, isWorkload: true)],
                                containers: [Inventory.Container(name: "web", role: .main, trait: nil),
                                             Inventory.Container(name: "shipper", role: .sidecar, trait: "sidecar")]),
        ])
        var deployment = Self.deployment(spec: 1, replicas: 1, updated: 1, ready: 0, available: 0, conditions: Self.available)
        deployment.json[path: ["metadata", "namespace"]] = "shop"
        deployment.json[path: ["spec", "selector"]] = ["matchLabels": ["app": "web"]]
        let pod = Self.object(["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web-abc", "namespace": "shop", "labels": ["app": "web"]],
                               "spec": ["containers": [["name": "web", "image": "shop:1"], ["name": "shipper", "image": "busybox"]]],
                               "status": ["phase": "Running", "containerStatuses": [
                                   ["name": "web", "ready": true, "restartCount": 0, "state": ["running": ["startedAt": "2026-11-26T10:00:00Z"]]],
                                   ["name": "shipper", "ready": false, "restartCount": 5,
                                    "state": ["waiting": ["reason": "CrashLoopBackOff", "message": "back-off 2m40s restarting failed container"]]],
                               ]]])
        let event = Self.object(["apiVersion": "v1", "kind": "Event", "metadata": ["name": "e1", "namespace": "shop"], "type": "Warning",
                                 "reason": "BackOff", "message": "Back-off restarting failed container shipper in pod web-abc",
                                 "lastTimestamp": "2026-11-26T10:05:00Z",
                                 "involvedObject": ["kind": "Pod", "name": "web-abc", "fieldPath": "spec.containers{shipper}"]])
        let health = ApplicationHealth.assess(inventory, namespace: "shop", objects: [deployment.reference: deployment], pods: [pod],
                                              events: [event])
        #expect(health.hasFailed)
        let component = try #require(health.components.first)
        #expect(component.verdict.reason == "CrashLoopBackOff")
        #expect(component.verdict.message.contains("sidecar 'shipper' in pod web-abc: CrashLoopBackOff (5 restarts)"))
        #expect(component.verdict.message.contains("Back-off restarting failed container shipper"))
        #expect(health.warnings.first?.contains("BackOff") == true)
    }
}
