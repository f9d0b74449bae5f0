import Foundation
import TandemJSON

/// An event a controller or the kubelet reports about an object.
struct EventSpec {
    var object: JSONValue
    var apiVersion: String
    var kind: String
    var reason: String
    var message: String
    var type = "Normal"
    var component: String
    var fieldPath: String?
    /// How many times it has happened by now: a higher count than recorded bumps the event's
    /// `count` and `lastTimestamp`, as the event recorder aggregates repeats.
    var count = 1
}

/// Records core/v1 Events, one per object, reason and message, counting repeats.
enum EventRecorder {
    static func flush(_ context: inout ControllerContext, memory: inout SimulationMemory) {
        let events = context.pendingEvents
        context.pendingEvents.removeAll()
        for spec in events { record(spec, context: context, memory: &memory) }
    }

    private static func record(_ spec: EventSpec, context: ControllerContext, memory: inout SimulationMemory) {
        let namespace = spec.object.namespace.isEmpty ? "default" : spec.object.namespace
        let identity = [spec.object.uid, spec.reason, spec.message, spec.fieldPath ?? ""].joined(separator: "\u{1}")
        let name = spec.object.name + "." + padded(fnv64(identity), 16, radix: 16)
        let recorded = memory.eventCounts[name] ?? 0
        guard spec.count > recorded else { return }
        memory.eventCounts[name] = spec.count
        let now = Timestamp.string(context.now)
        if recorded > 0, let existing = context.get(.events, namespace: namespace, name: name) {
            context.modify(.events, existing, manager: spec.component) { event in
                event["count"] = .int(spec.count)
                event["lastTimestamp"] = .string(now)
            }
            return
        }
        var involved = JSONObject()
        involved.append("kind", .string(spec.kind))
        if !spec.object.namespace.isEmpty { involved.append("namespace", .string(spec.object.namespace)) }
        involved.append("name", .string(spec.object.name))
        involved.append("uid", .string(spec.object.uid))
        involved.append("apiVersion", .string(spec.apiVersion))
        involved.append("resourceVersion", spec.object[path: ["metadata", "resourceVersion"]] ?? "")
        if let fieldPath = spec.fieldPath { involved.append("fieldPath", .string(fieldPath)) }
        var source: JSONObject = ["component": .string(spec.component)]
        if spec.component == "kubelet" { source["host"] = "node-1" }
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "involvedObject": .object(involved),
            "reason": .string(spec.reason), "message": .string(spec.message), "source": .object(source),
            "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": .int(spec.count),
            "type": .string(spec.type), "eventTime": nil, "reportingComponent": .string(spec.component),
            "reportingInstance": .string(spec.component == "kubelet" ? "node-1" : ""),
        ]
        context.create(event, manager: spec.component)
    }

    private static func fnv64(_ text: String) -> UInt64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 1_099_511_628_211
        }
        return hash
    }
}
