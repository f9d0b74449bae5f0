import Foundation
import KubeModel
import TandemDeploy
import TandemJSON
import TandemRendering

/// What the command line says about a controller-managed application.
extension ControllerManagedApplication {
    static func refusal(_ name: String, namespace: String) -> CLIFailure {
        CLIFailure("""
            application \(name) in namespace \(namespace) is managed by the tandem controller (its Application object exists); \
            change it with kubectl apply -f FILE. To manage it with tandem up instead: kubectl annotate application \(name) \
            -n \(namespace) tandem.oam.dev/on-delete=orphan, kubectl delete application \(name) -n \(namespace), then tandem up --take-over
            """)
    }

    /// The `status` table of a controller-managed application.
    func table(width: Int?) -> String {
        var text = "application \(object.name) (namespace \(object.namespace ?? "default"), managed by the tandem controller): \(phase)\n\n"
        var rows: [[String]] = [["COMPONENT", "HEALTHY", "MESSAGE", "TRAITS"]]
        for service in status["services"]?.array ?? [] {
            let traits = (service["traits"]?.array ?? []).map { trait in
                "\(trait["type"]?.string ?? ""): \(trait["healthy"]?.bool == true ? "healthy" : "unhealthy")"
            }
            rows.append([service["name"]?.string ?? "", service["healthy"]?.bool == true ? "yes" : "no",
                         service["message"]?.string ?? "", traits.joined(separator: ", ")])
        }
        if rows.count > 1 { text += TextTable(rows, wrapping: [2: 20]).render(width: width) }
        let problems = (status["conditions"]?.array ?? []).filter { $0["status"]?.string == "False" }
        if !problems.isEmpty {
            text += "\nConditions:\n" + problems.map { condition in
                "  \(condition["type"]?.string ?? ""): \(condition["reason"]?.string ?? "")\n"
                    + (condition["message"]?.string ?? "").split(separator: "\n").map { "    \($0)\n" }.joined()
            }.joined()
        }
        return text
    }
}
