import KubeModel
import TandemDefinitions
import TandemDeploy
import TandemJSON
import Testing

/// ApplicationHealth with a definition's health policy, from live objects as a watch sees them.
struct CustomHealthAssessmentTests {
    static let workload = ObjectReference(gvk: .deployment, namespace: "default", name: "web")

    static let inventory = Inventory(application: "tally", components: [
        Inventory.Component(name: "web", type: "counted", objects: [Inventory.Entry(reference: workload, trait: nil, isWorkload: true)],
                            containers: [],
                            healthPolicy: HealthPolicy(definition: "counted", file: "counted.cue",
                                                       healthPolicy: .init(text: "isHealth: true"),
                                                       customStatus: .init(text: #"message: "all good""#), details: nil,
                                                       parameter: [:], context: ["name": "web"])),
    ])

    @Test func aMissingWorkloadStaysMissingWhateverThePolicySays() {
        let health = ApplicationHealth.assess(Self.inventory, namespace: "default", objects: [:], pods: [], events: [])
        #expect(health.components[0].workload?.verdict.status == .notFound)
        #expect(health.components[0].custom == nil)
        #expect(!health.isHealthy)
    }

    @Test func aLiveWorkloadIsJudgedByThePolicyNotItsStatus() throws {
        // Kubernetes' own rules would say in progress: no replica is ready.
        let live = KubeObject(json: ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default"],
                                     "spec": ["replicas": 2], "status": ["replicas": 2, "readyReplicas": 0]])
        let health = ApplicationHealth.assess(Self.inventory, namespace: "default", objects: [Self.workload: live], pods: [], events: [])
        #expect(health.isHealthy)
        #expect(health.components[0].workload?.verdict.message == "all good")
        // The inventory keeps the policy through the ApplySet parent's JSON.
        #expect(Inventory(json: Self.inventory.json) == Self.inventory)
    }
    @Test func aTraitsUnmetPolicyKeepsTheComponentInProgressWithItsMessage() throws {
        var inventory = Self.inventory
        inventory.components[0].traitHealthPolicies = [
            HealthPolicy(definition: "reachable", trait: "reachable", file: "reachable.cue",
                         healthPolicy: .init(text: "isHealth: context.output.status.readyReplicas > 5"),
                         customStatus: .init(text: #"message: "waiting for \(context.output.metadata.name)""#), details: nil,
                         parameter: [:], context: [:]),
        ]
        let live = KubeObject(json: ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default"],
                                     "spec": ["replicas": 2], "status": ["replicas": 2, "readyReplicas": 2]])
        let health = ApplicationHealth.assess(inventory, namespace: "default", objects: [Self.workload: live], pods: [], events: [])
        let component = health.components[0]
        #expect(component.traitCustom["reachable"]?.healthy == false)
        #expect(component.verdict.status == .inProgress)
        #expect(component.verdict.message == "the reachable trait: waiting for web")
        #expect(Inventory(json: inventory.json) == inventory)
    }
}
