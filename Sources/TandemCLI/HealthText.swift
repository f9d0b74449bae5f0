import Foundation
import KubeModel
import TandemDeploy
import TandemJSON
import TandemRendering

/// Health as people and tools read it: progress lines, the status table, JSON.
enum HealthText {
    /// One line per workload (and per other object that is not healthy):
    /// `deployment/web  1/2 ready  log-shipper: CrashLoopBackOff (5 restarts)`.
    static func progressLines(_ health: ApplicationHealth) -> [String] {
        var lines: [String] = []
        for component in health.components {
            let objects = [component.workload].compactMap { $0 } + component.objects.filter { $0.verdict.status != .current }
            for object in objects {
                var line = "\(name(object.reference))"
                if let ready = object.ready { line += "  \(ready.ready)/\(ready.desired) ready" }
                let isWorkload = object.reference == component.workload?.reference
                let troubled = isWorkload ? component.containers.filter { $0.isFailing || (!$0.ready && $0.state != "terminated") } : []
                if !troubled.isEmpty {
                    line += "  " + troubled.prefix(3).map { "\($0.name): \($0.summary)" }.joined(separator: ", ")
                } else if object.verdict.status == .current {
                    line += "  \(object.verdict.status.word)"
                } else {
                    line += "  \(object.verdict.message)"
                }
                lines.append(line)
            }
        }
        return lines
    }

    /// `deployment/web`, as kubectl names objects in its short form.
    static func name(_ reference: ObjectReference) -> String {
        "\(reference.gvk.kind.lowercased())/\(reference.name)"
    }

    /// What is wrong, component by component, for the end of a failed `up`.
    static func problems(_ health: ApplicationHealth) -> [String] {
        health.components.filter { $0.verdict.status != .current }.map { component in
            "component '\(component.name)': \(component.verdict.message)"
        }
    }

    /// The `status` table.
    static func table(_ health: ApplicationHealth, width: Int?) -> String {
        var text = "application \(health.application) (namespace \(health.namespace)): \(health.status.word)\n\n"
        var rows: [[String]] = [["COMPONENT", "OBJECT", "TRAIT", "READY", "HEALTH", "MESSAGE"]]
        for component in health.components {
            var first = true
            for object in [component.workload].compactMap({ $0 }) + component.objects {
                rows.append([first ? component.name : "", name(object.reference), object.trait ?? "",
                             object.ready.map { "\($0.ready)/\($0.desired)" } ?? "", object.verdict.status.word, object.verdict.message])
                first = false
            }
        }
        text += TextTable(rows, wrapping: [5: 20]).render(width: width)
        let containers = health.components.flatMap { component in component.containers.map { (component.name, $0) } }
        if !containers.isEmpty {
            var rows: [[String]] = [["COMPONENT", "POD", "CONTAINER", "ROLE", "READY", "RESTARTS", "STATE", "LAST TERMINATION"]]
            for (component, container) in containers {
                var state = container.state == "running" ? "running" : (container.reason ?? container.state)
                if let message = container.message, !message.isEmpty { state += ": \(message)" }
                if container.isFailing || (!container.ready && container.state != "terminated"), let event = container.lastEvent,
                   event != container.message {
                    state += " (last event: \(event))"
                }
                rows.append([component, container.pod, container.name, roleName(container), container.ready ? "yes" : "no",
                             String(container.restarts), state, container.lastTermination?.summary ?? ""])
            }
            text += "\n" + TextTable(rows, wrapping: [6: 20, 7: 24]).render(width: width)
        }
        if !health.warnings.isEmpty {
            text += "\nRecent warnings:\n" + health.warnings.map { "  \($0)\n" }.joined()
        }
        return text
    }

    static func roleName(_ container: ContainerHealth) -> String {
        switch container.role {
        case .main?: return "main"
        case .sidecar?: return "sidecar" + Self.trait(container)
        case .nativeSidecar?: return "native sidecar" + Self.trait(container)
        case .initContainer?: return "init"
        case nil: return ""
        }
    }

    /// ` (init-container trait)`: the trait that added a container, unless it is the sidecar trait.
    static func trait(_ container: ContainerHealth) -> String {
        guard let trait = container.trait, trait != "sidecar" else { return "" }
        return " (\(trait) trait)"
    }

    /// The `status -o json` document.
    static func json(_ health: ApplicationHealth) -> JSONValue {
        func verdict(_ verdict: HealthVerdict) -> JSONObject {
            ["status": .string(verdict.status.rawValue), "reason": .string(verdict.reason), "message": .string(verdict.message)]
        }
        func object(_ object: ObjectHealth) -> JSONValue {
            var json: JSONObject = ["apiVersion": .string(object.reference.gvk.apiVersion), "kind": .string(object.reference.gvk.kind),
                                    "name": .string(object.reference.name)]
            if let namespace = object.reference.namespace { json.append("namespace", .string(namespace)) }
            if let trait = object.trait { json.append("trait", .string(trait)) }
            if let ready = object.ready { json.append("ready", .string("\(ready.ready)/\(ready.desired)")) }
            for member in verdict(object.verdict) { json.append(member.key, member.value) }
            return .object(json)
        }
        return .object([
            "application": .string(health.application), "namespace": .string(health.namespace),
            "status": .string(health.status.rawValue), "healthy": .bool(health.isHealthy),
            "components": .array(health.components.map { component in
                var json: JSONObject = ["name": .string(component.name), "type": .string(component.type)]
                for member in verdict(component.verdict) { json.append(member.key, member.value) }
                if let custom = component.custom {
                    json.append("custom", ["healthy": .bool(custom.healthy), "message": .string(custom.message),
                                           "details": .object(JSONObject(custom.details.map { JSONObject.Member(key: $0.key, value: .string($0.value)) }))])
                }
                if !component.traitCustom.isEmpty {
                    json.append("traits", .array(component.traitCustom.sorted { $0.key < $1.key }.map { trait, custom in
                        ["type": .string(trait), "healthy": .bool(custom.healthy), "message": .string(custom.message),
                         "details": .object(JSONObject(custom.details.map { JSONObject.Member(key: $0.key, value: .string($0.value)) }))]
                    }))
                }
                json.append("workload", component.workload.map(object) ?? .null)
                json.append("objects", .array(component.objects.map(object)))
                json.append("containers", .array(component.containers.map { container in
                    var json: JSONObject = ["pod": .string(container.pod), "name": .string(container.name),
                                            "role": container.role.map { .string($0.rawValue) } ?? .null,
                                            "image": .string(container.image), "ready": .bool(container.ready),
                                            "restarts": .int(container.restarts), "state": .string(container.state)]
                    if let trait = container.trait { json.append("trait", .string(trait)) }
                    if let reason = container.reason { json.append("reason", .string(reason)) }
                    if let message = container.message { json.append("message", .string(message)) }
                    if let event = container.lastEvent { json.append("lastEvent", .string(event)) }
                    if let last = container.lastTermination {
                        json.append("lastTermination", ["reason": .string(last.reason), "exitCode": .int(last.exitCode),
                                                        "finishedAt": last.finishedAt.map(JSONValue.string) ?? .null])
                    }
                    return .object(json)
                }))
                return .object(json)
            }),
            "warnings": .array(health.warnings.map { .string($0) }),
        ])
    }
}
