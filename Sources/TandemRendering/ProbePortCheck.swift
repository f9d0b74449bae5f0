import TandemDefinitions
import TandemJSON
import TandemModel

/// A probe that names a port (`port: metrics`) must name a port of its own container: the
/// kubelet looks the name up among that container's ports only, so a probe naming any other
/// fails every time — a liveness probe then restarts the container forever.
enum ProbePortCheck {
    static func check(_ draft: ComponentDraft, component path: FieldPath, _ scope: DiagnosticScope) {
        guard let pod = draft.podSpec else { return }
        let containers = pod.containers + pod.initContainers
        for container in containers {
            let name = container["name"]?.string ?? ""
            let declared = portNames(of: container)
            for field in ProbeSlot.fields {
                for handler in ["httpGet", "tcpSocket"] {
                    guard let port = container[field]?[handler]?["port"]?.string, !declared.contains(port) else { continue }
                    let source = draft.probeSources[ProbeSlot(container: name, field: field)].map { $0 / handler / "port" } ?? path
                    let suggestion = Suggestion.closest(to: port, among: declared).map { "; did you mean '\($0)'?" } ?? ""
                    scope.error("the \(field) of container '\(name)' names port '\(port)', which that container does not declare\(suggestion)",
                                at: source, code: .unknownPort, hint: hint(port, in: containers))
                }
            }
        }
    }

    private static func portNames(of container: JSONValue) -> [String] {
        (container["ports"]?.array ?? []).compactMap { $0["name"]?.string }
    }

    private static func hint(_ port: String, in containers: [JSONValue]) -> String {
        for other in containers {
            guard let match = other["ports"]?.array?.first(where: { $0["name"]?.string == port }) else { continue }
            let number = match["containerPort"]?.int.map { ", \($0)" } ?? ""
            return "port '\(port)' belongs to container '\(other["name"]?.string ?? "")', and a probe can name only its own container's ports: write its number\(number)"
        }
        return "add it to the container's ports ({port: N, name: \(port)}), or write the port's number"
    }
}
