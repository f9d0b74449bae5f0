import Foundation
import TandemJSON

/// What a simulated container does, read from its spec.
struct ContainerBehaviour {
    enum Outcome: Equatable {
        case runsForever
        case exits(Int)
    }

    var name: String
    var image: String
    /// The image's registry host is `unpullable.invalid`: pulls fail.
    var pullFails: Bool
    var outcome: Outcome
    /// The readiness probe never succeeds; the message the kubelet reports.
    var readinessFailure: String?
    /// Without a readiness probe a container is ready as soon as it runs.
    var hasReadinessProbe: Bool
    /// A native sidecar: an init container with `restartPolicy: Always`.
    var isSidecar: Bool

    static let unpullableHost = "unpullable.invalid"
    /// A pod annotated with this key set to `"true"` fails its main containers' readiness probes
    /// until the annotation is removed: tests hold pods unready, then let them become ready.
    static let unreadyAnnotation = "kube-test-server/unready"

    /// The readiness probe (if the container has one) fails, as one held by ``unreadyAnnotation``.
    mutating func failReadinessProbe() {
        guard hasReadinessProbe, readinessFailure == nil else { return }
        readinessFailure = "Readiness probe failed: HTTP probe failed with statuscode: 503"
    }

    /// - Parameters:
    ///   - runsToCompletion: the pod's restartPolicy is Never or OnFailure.
    ///   - isFirstMain: the first of the pod's main containers (the one that finishes a Job).
    init(_ container: JSONValue, isInit: Bool, runsToCompletion: Bool, isFirstMain: Bool) {
        name = container["name"]?.string ?? ""
        image = container["image"]?.string ?? ""
        pullFails = image.split(separator: "/").first.map { $0 == Self.unpullableHost || $0.hasPrefix(Self.unpullableHost + ":") } ?? false
        isSidecar = isInit && container["restartPolicy"]?.string == "Always"
        let commandLine = ((container["command"]?.strings ?? []) + (container["args"]?.strings ?? [])).joined(separator: " ")
        if let code = Self.exitCode(in: commandLine) {
            outcome = .exits(code)
        } else if commandLine.contains("sleep infinity") || isSidecar {
            outcome = .runsForever
        } else if isInit || (runsToCompletion && isFirstMain) {
            outcome = .exits(0)
        } else {
            outcome = .runsForever
        }
        readinessFailure = Self.readinessFailure(container["readinessProbe"])
        hasReadinessProbe = container["readinessProbe"] != nil
    }

    /// The code of the first `exit N` in a command line.
    static func exitCode(in commandLine: String) -> Int? {
        var rest = Substring(commandLine)
        while let range = rest.range(of: "exit") {
            let after = rest[range.upperBound...]
            let spaces = after.prefix { $0 == " " }
            let digits = after.dropFirst(spaces.count).prefix { $0.isNumber }
            let boundaryBefore = range.lowerBound == rest.startIndex || !rest[rest.index(before: range.lowerBound)].isLetter
            if boundaryBefore, !spaces.isEmpty, let code = Int(digits) { return code }
            rest = rest[range.upperBound...]
        }
        return nil
    }

    private static func readinessFailure(_ probe: JSONValue?) -> String? {
        guard let probe else { return nil }
        if let command = probe[path: ["exec", "command"]]?.strings {
            let line = command.joined(separator: " ")
            let words = line.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "&" || $0 == "|" })
            if words.contains("false") || (exitCode(in: line).map { $0 != 0 } ?? false) { return "Readiness probe failed: " }
        }
        if let path = probe[path: ["httpGet", "path"]]?.string, path.contains("fail") {
            return "Readiness probe failed: HTTP probe failed with statuscode: 500"
        }
        return nil
    }
}

/// Whether a container can be created: the Secrets and ConfigMaps its environment names.
enum ContainerConfig {
    /// The kubelet's message for the first missing reference, or nil when all are there.
    static func problem(_ container: JSONValue, namespace: String, context: ControllerContext) -> String? {
        for variable in container["env"]?.array ?? [] {
            guard let source = variable["valueFrom"] else { continue }
            if let reference = source["secretKeyRef"], reference["optional"]?.bool != true {
                if let problem = missing(kind: "Secret", resource: .secrets, field: "data", reference: reference,
                                         namespace: namespace, context: context) { return problem }
            }
            if let reference = source["configMapKeyRef"], reference["optional"]?.bool != true {
                if let problem = missing(kind: "ConfigMap", resource: .configMaps, field: "data", reference: reference,
                                         namespace: namespace, context: context) { return problem }
            }
        }
        for source in container["envFrom"]?.array ?? [] {
            if let reference = source["secretRef"], reference["optional"]?.bool != true,
               context.get(.secrets, namespace: namespace, name: reference["name"]?.string ?? "") == nil {
                return "secret \"\(reference["name"]?.string ?? "")\" not found"
            }
            if let reference = source["configMapRef"], reference["optional"]?.bool != true,
               context.get(.configMaps, namespace: namespace, name: reference["name"]?.string ?? "") == nil {
                return "configmap \"\(reference["name"]?.string ?? "")\" not found"
            }
        }
        return nil
    }

    private static func missing(kind: String, resource: GroupResource, field: String, reference: JSONValue, namespace: String,
                                context: ControllerContext) -> String? {
        let name = reference["name"]?.string ?? ""
        let key = reference["key"]?.string ?? ""
        guard let object = context.get(resource, namespace: namespace, name: name) else {
            return "\(kind.lowercased()) \"\(name)\" not found"
        }
        let hasKey = object[field]?[key] != nil || object["binaryData"]?[key] != nil || object["stringData"]?[key] != nil
        return hasKey ? nil : "couldn't find key \(key) in \(kind) \(namespace)/\(name)"
    }

    /// The volumes that cannot be mounted: (volume name, message) for the first missing source.
    static func volumeProblem(_ pod: JSONValue, context: ControllerContext) -> (volume: String, message: String)? {
        let namespace = pod.namespace
        for volume in pod[path: ["spec", "volumes"]]?.array ?? [] {
            let name = volume["name"]?.string ?? ""
            if let secret = volume["secret"], secret["optional"]?.bool != true,
               context.get(.secrets, namespace: namespace, name: secret["secretName"]?.string ?? "") == nil {
                return (name, "MountVolume.SetUp failed for volume \"\(name)\" : secret \"\(secret["secretName"]?.string ?? "")\" not found")
            }
            if let configMap = volume["configMap"], configMap["optional"]?.bool != true,
               context.get(.configMaps, namespace: namespace, name: configMap["name"]?.string ?? "") == nil {
                return (name, "MountVolume.SetUp failed for volume \"\(name)\" : configmap \"\(configMap["name"]?.string ?? "")\" not found")
            }
        }
        return nil
    }
}
