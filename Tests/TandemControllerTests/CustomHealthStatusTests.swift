import KubeModel
@testable import TandemController
import TandemDefinitions
@testable import TandemDeploy
import TandemJSON
import Testing

/// The controller's `status.services[]` for a component whose definition states its own health.
struct CustomHealthStatusTests {
    static func component(custom: CustomHealth?, verdict: HealthVerdict, failingContainer: Bool = false) -> ComponentHealth {
        let workload = ObjectHealth(reference: ObjectReference(gvk: .deployment, namespace: "default", name: "web"), trait: nil,
                                    verdict: verdict, readyCount: 1, desiredCount: 2)
        let containers = failingContainer
            ? [ContainerHealth(pod: "web-1", name: "web", role: .main, trait: nil, image: "nginx", ready: false, restarts: 5,
                               state: "waiting", reason: "CrashLoopBackOff", message: "back-off", lastEvent: nil)]
            : []
        return ComponentHealth(name: "web", type: "counted", workload: workload, objects: [], containers: containers, custom: custom)
    }

    @Test func theServiceCarriesTheDefinitionsMessageAndDetails() {
        let custom = CustomHealth(healthy: false, message: "Ready:1/2 counted", details: [.init(key: "replicas", value: "2")])
        let service = ApplicationStatus.service(Self.component(custom: custom, verdict: HealthVerdict(.inProgress, reason: "HealthPolicy", "Ready:1/2 counted")),
                                                traits: [], namespace: "default")
        #expect(service["healthy"] == false)
        #expect(service["message"] == "Ready:1/2 counted")  // not the generic "Ready: 1/2"
        #expect(service["details"] == ["replicas": "2"])
    }

    @Test func withoutAPolicyTheMessageIsTheWorkloadsOwn() {
        let service = ApplicationStatus.service(Self.component(custom: nil, verdict: HealthVerdict(.inProgress, reason: "LessReady", "Ready: 1/2")),
                                                traits: [], namespace: "default")
        #expect(service["message"] == "Ready: 1/2")
        #expect(service["details"] == nil)
    }

    @Test func aPolicyThatIsMetIsNotOverruledByAFailingContainer() {
        let custom = CustomHealth(healthy: true, message: "enough replicas")
        let component = Self.component(custom: custom, verdict: HealthVerdict(.current, "enough replicas"), failingContainer: true)
        #expect(component.verdict.status == .current)
        let service = ApplicationStatus.service(component, traits: [], namespace: "default")
        #expect(service["healthy"] == true)
        #expect(service["message"] == "enough replicas")
    }
    @Test func aTraitCarriesItsDefinitionsVerdictAndMessage() {
        var component = Self.component(custom: nil, verdict: HealthVerdict(.current, "Deployment is available. Replicas: 2"))
        component.traitCustom = ["reachable": CustomHealth(healthy: false, message: "Visiting URL: shop.example.com")]
        let service = ApplicationStatus.service(component, traits: [.init(type: "reachable", containers: [])], namespace: "default")
        let trait = service["traits"]?.array?.first
        #expect(trait?["healthy"] == false)
        #expect(trait?["message"] == "Visiting URL: shop.example.com")
        #expect(service["healthy"] == false)
    }
}
