import Foundation
import KubeClient
import KubeModel
import TandemDeploy

/// The pod `exec` and `port-forward` use: a running pod of the component, or without one named,
/// of the first component the application lists (its inventory, or its Application's spec).
enum RunningPod {
    static func find(_ application: String, component: String?, namespace: String, client: KubeClient) async throws -> KubeObject {
        let components: [String]
        if let deployed = try await DeployedApplication.find(application, namespace: namespace, client: client) {
            components = deployed.inventory.components.map(\.name)
        } else if let managed = try await ControllerManagedApplication.find(application, namespace: namespace, client: client) {
            components = (managed.object.json[path: ["spec", "components"]]?.array ?? []).compactMap { $0["name"]?.string }
        } else {
            throw DeployedApplication.notFound(application, namespace: namespace)
        }
        guard let chosen = component ?? components.first else { throw CLIFailure("application \(application) has no components") }
        let selector = "\(LabelKeys.appName)=\(application),\(LabelKeys.component)=\(chosen)"
        let pods = try await client.list(.pod, namespace: namespace, labelSelector: selector).items
        guard let pod = pods.first(where: { $0.json[path: ["status", "phase"]]?.string == "Running" }) ?? pods.first else {
            throw CLIFailure("component \(chosen) of application \(application) has no pods in namespace \(namespace)")
        }
        return pod
    }
}
