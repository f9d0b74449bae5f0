import Foundation
import TandemJSON

/// Helpers the workload controllers share.
enum Workload {
    /// A template's hash as controllers label pods with it (`pod-template-hash`).
    static func templateHash(_ template: JSONValue?) -> String {
        // Over the keys in order, as Go hashes the decoded struct: key order is not content.
        NameSuffix.encode(NameSuffix.hash(JSONWriter.compact(sortedKeys(template ?? .null))))
    }

    static func sortedKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.members.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: sortedKeys($0.value)) }))
        case .array(let items): return .array(items.map(sortedKeys))
        default: return value
        }
    }

    static func labels(_ object: JSONValue?) -> JSONObject { object?[path: ["metadata", "labels"]]?.object ?? [:] }

    static func isReady(_ pod: JSONValue) -> Bool {
        (pod[path: ["status", "conditions"]]?.array ?? []).contains { $0["type"] == "Ready" && $0["status"] == "True" }
    }

    static func isTerminal(_ pod: JSONValue) -> Bool {
        let phase = pod[path: ["status", "phase"]]?.string
        return phase == "Succeeded" || phase == "Failed"
    }

    /// A pod from a template, owned by `owner`.
    static func pod(name: String, namespace: String, template: JSONValue?, owner: JSONValue, ownerKind: String, ownerAPIVersion: String,
                    extraLabels: [(String, String)] = [], generateName: String? = nil) -> JSONValue {
        var labels = template?[path: ["metadata", "labels"]]?.object ?? [:]
        for (key, value) in extraLabels { labels[key] = .string(value) }
        var metadata = JSONObject()
        metadata.append("name", .string(name))
        if let generateName { metadata.append("generateName", .string(generateName)) }
        metadata.append("namespace", .string(namespace))
        metadata.append("labels", .object(labels))
        if let annotations = template?[path: ["metadata", "annotations"]] { metadata.append("annotations", annotations) }
        metadata.append("ownerReferences", [owner.controllerReference(apiVersion: ownerAPIVersion, kind: ownerKind)])
        return ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata), "spec": template?["spec"] ?? [:]]
    }

    /// A status object without the zero counts (Go's `omitempty`), keeping `always`.
    static func status(_ fields: [(String, JSONValue)], always: Set<String> = []) -> JSONObject {
        var status = JSONObject()
        for (key, value) in fields {
            if value == .int(0), !always.contains(key) { continue }
            status.append(key, value)
        }
        return status
    }

    /// A `25%` or `1` of `total`, rounded down (maxUnavailable) or up (maxSurge).
    static func scaled(_ value: JSONValue?, of total: Int, roundUp: Bool) -> Int {
        if let number = value?.int { return number }
        guard let text = value?.string, text.hasSuffix("%"), let percent = Int(text.dropLast()) else { return 0 }
        let exact = Double(total * percent) / 100
        return Int(roundUp ? exact.rounded(.up) : exact.rounded(.down))
    }
}
