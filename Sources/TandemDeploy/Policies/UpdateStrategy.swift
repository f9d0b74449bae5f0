import Foundation
import KubeClient
import KubeModel
import TandemJSON

/// The resource-update policy's strategy for the objects a rule selects: `op: replace` writes
/// the whole object (a PUT: fields the application does not set are dropped) instead of
/// server-side apply; `recreateFields` deletes and creates the object again when one of
/// those fields would change (how an immutable field, such as an immutable Secret's data, is
/// changed).
struct UpdateStrategy: Sendable {
    var replace: Bool
    var recreateFields: [PolicyFieldPath]

    init(_ strategy: JSONValue) {
        replace = strategy["op"]?.string == "replace"
        recreateFields = (strategy["recreateFields"]?.strings ?? []).compactMap(PolicyFieldPath.init)
    }

    /// Whether writing `rendered` over `live` changes a field that re-creates the object.
    func recreates(_ live: KubeObject, as rendered: KubeObject) -> Bool {
        recreateFields.contains { $0.value(in: live.json) != $0.value(in: rendered.json) }
    }

    /// Writes `object` over the live one as the strategy says. In a dry run a re-creation is
    /// not tried (the server would judge the change against the object that is to go), and the
    /// object is answered as rendered.
    func write(_ object: KubeObject, live: KubeObject, client: KubeClient, force: Bool) async throws -> KubeClient.Applied {
        if recreates(live, as: object) {
            if client.dryRun { return KubeClient.Applied(object: object, created: true) }
            try await client.delete(object.reference, propagation: .background)
            try await Self.waitUntilGone(object.reference, client: client)
            return try await client.apply(object, options: ApplyOptions(force: force))
        }
        if replace {
            var replacement = object
            replacement.json[path: ["metadata", "resourceVersion"]] = live.json[path: ["metadata", "resourceVersion"]]
            let resource = try await client.resource(for: object.gvk)
            let answer = try await client.send(KubeRequests.replace(resource, replacement))
            return KubeClient.Applied(object: KubeObject(json: answer), created: false)
        }
        return try await client.apply(object, options: ApplyOptions(force: force))
    }

    /// A deleted object may linger while its finalizers and dependents finish: wait for it to go
    /// before creating it again (a minute at most, then the create says what is wrong).
    static func waitUntilGone(_ reference: ObjectReference, client: KubeClient, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await client.get(reference) != nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
