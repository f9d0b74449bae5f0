import KubeClient
import KubeModel
import Synchronization

/// The recent Warning events of each namespace, trimmed, newest kept: what health names as a
/// container's last event and as an application's warnings. Filled by a watch.
final class WarningEvents: Sendable {
    /// Events kept per namespace; older ones are forgotten first.
    static let limit = 200

    private let byNamespace = Mutex<[String: [ObjectReference: CompactObject]]>([:])

    /// Applies a change; returns the pods the changed events are about, by namespace and name.
    func apply(_ change: Reflector.Change) -> [(namespace: String, pod: String)] {
        byNamespace.withLock { state in
            switch change {
            case .listed(let items):
                state = [:]
                for item in items { Self.insert(item, into: &state) }
                return items.compactMap(Self.pod)
            case .upserted(let event):
                Self.insert(event, into: &state)
                return [Self.pod(of: event)].compactMap { $0 }
            case .deleted(let event):
                state[event.namespace ?? ""]?[event.reference] = nil
                return []
            }
        }
    }

    func events(namespace: String) -> [KubeObject] {
        byNamespace.withLock { Array(($0[namespace] ?? [:]).values) }.map(\.object)
    }

    private static func insert(_ event: KubeObject, into state: inout [String: [ObjectReference: CompactObject]]) {
        let namespace = event.namespace ?? ""
        var events = state[namespace] ?? [:]
        events[event.reference] = CompactObject(event)
        if events.count > limit {
            // Forget the oldest: their times are RFC 3339, which sorts as text.
            let oldest = events.map { ($0.key, Self.time($0.value.object)) }.min { $0.1 < $1.1 }
            if let oldest { events[oldest.0] = nil }
        }
        state[namespace] = events
    }

    static func time(_ event: KubeObject) -> String {
        let json = event.json
        return json["lastTimestamp"]?.string ?? json[path: ["series", "lastObservedTime"]]?.string ?? json["eventTime"]?.string
            ?? json[path: ["metadata", "creationTimestamp"]]?.string ?? ""
    }

    static func pod(of event: KubeObject) -> (namespace: String, pod: String)? {
        guard event.json[path: ["involvedObject", "kind"]]?.string == "Pod",
              let name = event.json[path: ["involvedObject", "name"]]?.string else { return nil }
        return (event.namespace ?? "", name)
    }
}
