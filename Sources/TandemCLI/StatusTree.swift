import Foundation
import KubeModel
import TandemDeploy
import TandemJSON

/// `status --tree`: application → components → objects → pods → containers, sidecars marked,
/// each with its health (coloured on a terminal).
enum StatusTree {
    /// Whether to colour: standard output is a terminal, and neither NO_COLOR nor TERM=dumb says otherwise.
    static var colours: Bool {
        let environment = ProcessInfo.processInfo.environment
        return isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    static func text(_ health: ApplicationHealth, colours: Bool) -> String {
        func paint(_ word: String, _ status: HealthStatus) -> String {
            guard colours else { return word }
            let code: String
            switch status {
            case .current: code = "32"
            case .inProgress, .terminating, .unknown: code = "33"
            case .failed, .notFound: code = "31"
            }
            return "\u{1B}[\(code)m\(word)\u{1B}[0m"
        }
        func containerWord(_ container: ContainerHealth) -> (String, HealthStatus) {
            if container.isFailing { return (container.summary, .failed) }
            if container.ready || container.state == "terminated" { return (container.summary, .current) }
            return (container.summary, .inProgress)
        }
        var lines = ["application \(health.application) (namespace \(health.namespace)): \(paint(health.status.word, health.status))"]
        func add(_ text: String, _ prefix: String, last: Bool) -> String {
            lines.append(prefix + (last ? "└─ " : "├─ ") + text)
            return prefix + (last ? "   " : "│  ")
        }
        for (componentIndex, component) in health.components.enumerated() {
            let componentPrefix = add("\(component.name) (\(component.type)): \(paint(component.verdict.status.word, component.verdict.status))",
                                      "", last: componentIndex == health.components.count - 1)
            let objects = [component.workload].compactMap { $0 } + component.objects
            for (objectIndex, object) in objects.enumerated() {
                var line = HealthText.name(object.reference)
                if let trait = object.trait { line += " (\(trait) trait)" }
                if let ready = object.ready { line += "  \(ready.ready)/\(ready.desired) ready" }
                line += "  " + paint(object.verdict.status.word, object.verdict.status)
                if object.verdict.status != .current, !object.verdict.message.isEmpty { line += ": \(object.verdict.message)" }
                let objectPrefix = add(line, componentPrefix, last: objectIndex == objects.count - 1)
                // The pods hang under the workload that runs them.
                guard object.reference == component.workload?.reference else { continue }
                var pods: [String] = []
                for container in component.containers where !pods.contains(container.pod) { pods.append(container.pod) }
                for (podIndex, pod) in pods.enumerated() {
                    let podPrefix = add("pod/\(pod)", objectPrefix, last: podIndex == pods.count - 1)
                    let containers = component.containers.filter { $0.pod == pod }
                    for (containerIndex, container) in containers.enumerated() {
                        let role = HealthText.roleName(container)
                        let (word, status) = containerWord(container)
                        var line = container.name + (role.isEmpty || role == "main" ? "" : " [\(role)]") + "  " + paint(word, status)
                        if let message = container.message, !message.isEmpty, !container.ready { line += ": \(message)" }
                        _ = add(line, podPrefix, last: containerIndex == containers.count - 1)
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
