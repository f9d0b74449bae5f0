import Foundation
import TandemJSON

/// A container's `env` and `envFrom`, resolved as the kubelet does before it creates the
/// container: values, `$(VAR)` references, Secret and ConfigMap keys, the downward API.
struct EnvironmentResolver {
    var pod: PodFacts
    var sources: ConfigSources
    /// Where problems are reported: `sidecar 'x' in pod y (component 'z')`.
    var subject: String

    /// What the downward API tells about the pod.
    struct PodFacts {
        var name: String
        var namespace: String
        var uid: String
        var labels: [String: String]
        var annotations: [String: String]
        var nodeName: String
        var serviceAccount: String
    }

    /// A Secret's value reached through a podman secret: named by the builder that creates them.
    var secretName: (_ secret: String, _ key: String, _ value: Data) -> String

    func resolve(_ container: JSONValue, resourcesOf: (String?) -> JSONValue?) -> (variables: [EnvironmentVariable], problems: [LocalProblem]) {
        var variables: [EnvironmentVariable] = []
        var problems: [LocalProblem] = []
        var known: [String: String] = [:]
        func set(_ name: String, _ source: EnvironmentVariable.Source, plain: String?) {
            variables.removeAll { $0.name == name }
            variables.append(EnvironmentVariable(name: name, source: source))
            known[name] = plain
        }
        // Kubernetes' words, and why when one of that name is given for another namespace.
        func notFound(_ kind: ConfigSources.Kind, _ name: String) -> String {
            let elsewhere = sources.otherNamespaces(kind, name, namespace: pod.namespace)
            return "\(kind.rawValue.lowercased()) \"\(name)\" not found"
                + (elsewhere.isEmpty ? "" : " in namespace \(pod.namespace) (there is one in \(elsewhere.joined(separator: ", ")); a pod reads only its own namespace's)")
        }
        func problem(_ message: String) {
            problems.append(LocalProblem(subject, reason: "CreateContainerConfigError", message,
                                         hint: "define it in the application (a k8s-objects component)", remedy: .supplyObject))
        }
        for entry in container["envFrom"]?.array ?? [] {
            let prefix = entry["prefix"]?.string ?? ""
            for (field, kind) in [("configMapRef", ConfigSources.Kind.configMap), ("secretRef", .secret)] {
                guard let reference = entry[field], let name = reference["name"]?.string else { continue }
                guard let source = sources.find(kind, name, namespace: pod.namespace) else {
                    if reference["optional"]?.bool != true { problem(notFound(kind, name)) }
                    continue
                }
                for key in source.data.keys.sorted() {
                    guard let value = source.data[key] else { continue }
                    let text = String(decoding: value, as: UTF8.self)
                    set(prefix + key, kind == .secret ? .secret(secretName(name, key, value)) : .value(text), plain: text)
                }
            }
        }
        for entry in container["env"]?.array ?? [] {
            guard let name = entry["name"]?.string else { continue }
            if let value = entry["value"]?.string {
                let expanded = Self.expand(value, known)
                set(name, .value(expanded), plain: expanded)
                continue
            }
            guard let from = entry["valueFrom"] else {
                set(name, .value(""), plain: "")
                continue
            }
            if let reference = from["secretKeyRef"] ?? from["configMapKeyRef"] {
                let kind: ConfigSources.Kind = from["secretKeyRef"] != nil ? .secret : .configMap
                let sourceName = reference["name"]?.string ?? ""
                let key = reference["key"]?.string ?? ""
                let optional = reference["optional"]?.bool == true
                guard let source = sources.find(kind, sourceName, namespace: pod.namespace) else {
                    if !optional { problem(notFound(kind, sourceName)) }
                    continue
                }
                guard let value = source.data[key] else {
                    if !optional { problem("couldn't find key \(key) in \(kind.rawValue) \(pod.namespace)/\(sourceName)") }
                    continue
                }
                let text = String(decoding: value, as: UTF8.self)
                set(name, kind == .secret ? .secret(secretName(sourceName, key, value)) : .value(text), plain: text)
            } else if let field = from["fieldRef"]?["fieldPath"]?.string {
                if field == "status.podIP" || field == "status.podIPs" {
                    set(name, .podIP, plain: nil)
                } else if let value = fieldValue(field) {
                    set(name, .value(value), plain: value)
                } else {
                    problems.append(LocalProblem(subject, reason: "CreateContainerConfigError",
                                                 "the field \(field) of env \(name) is not one the local runtime knows"))
                }
            } else if let reference = from["resourceFieldRef"], let resource = reference["resource"]?.string {
                let divisor = reference["divisor"]?.string ?? reference["divisor"]?.int.map(String.init)
                if let value = ResourceValues.fieldValue(resource: resource, divisor: divisor,
                                                         resources: resourcesOf(reference["containerName"]?.string)) {
                    set(name, .value(value), plain: value)
                } else {
                    problems.append(LocalProblem(subject, reason: "CreateContainerConfigError",
                                                 "unsupported resource \(resource) in env \(name)"))
                }
            }
        }
        return (variables, problems)
    }

    /// The downward API's fields (`status.podIP` is known only once the pod runs).
    func fieldValue(_ path: String) -> String? {
        switch path {
        case "metadata.name": return pod.name
        case "metadata.namespace": return pod.namespace
        case "metadata.uid": return pod.uid
        case "spec.nodeName": return pod.nodeName
        case "spec.serviceAccountName": return pod.serviceAccount
        case "status.hostIP", "status.hostIPs": return "127.0.0.1"
        default:
            for (prefix, map) in [("metadata.labels", pod.labels), ("metadata.annotations", pod.annotations)] where path.hasPrefix(prefix + "['") {
                let key = String(path.dropFirst(prefix.count + 2).dropLast(2))
                return map[key] ?? ""
            }
            return nil
        }
    }

    /// `$(NAME)` becomes the value of an earlier variable; `$$(NAME)` stays `$(NAME)`; an unknown
    /// name is left as written, as Kubernetes does.
    static func expand(_ text: String, _ known: [String: String]) -> String {
        guard text.contains("$(") else { return text }
        var result = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            let after = rest[dollar...].dropFirst()
            if after.hasPrefix("$") {
                result += "$"
                rest = after.dropFirst()
            } else if after.hasPrefix("("), let close = after.firstIndex(of: ")") {
                let name = String(after[after.index(after: after.startIndex)..<close])
                result += known[name] ?? "$(\(name))"
                rest = after[after.index(after: close)...]
            } else {
                result += "$"
                rest = after
            }
        }
        return result + rest
    }
}
