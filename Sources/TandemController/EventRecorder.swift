import Foundation
import KubeClient
import KubeModel
import TandemJSON

/// Writes Kubernetes Events about Applications, as `kubectl describe app` shows them.
struct EventRecorder: Sendable {
    var client: KubeClient
    var component = "tandem-controller"

    func warning(_ key: ApplicationKey, uid: String?, reason: String, message: String) async {
        let now = Timestamps.format(Date())
        let suffix = String(UInt64(Date().timeIntervalSince1970 * 1_000_000), radix: 16)
        var involved: JSONObject = ["apiVersion": .string(ApplicationKey.gvk.apiVersion), "kind": "Application",
                                    "namespace": .string(key.namespace), "name": .string(key.name)]
        if let uid { involved.append("uid", .string(uid)) }
        let event = KubeObject(json: [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string("\(key.name).\(suffix)"), "namespace": .string(key.namespace)],
            "involvedObject": .object(involved), "reason": .string(reason),
            // The API refuses longer messages; what matters comes first.
            "message": .string(String(message.prefix(1024))), "type": "Warning",
            "source": ["component": .string(component)], "reportingComponent": .string(component),
            "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1,
        ])
        do {
            let resource = try await client.resource(for: GroupVersionKind.event)
            try await client.send(KubeRequests.create(resource, event))
        } catch {
            // An event is a courtesy: failing to write one must not fail the reconcile.
        }
    }
}
