import Crypto
import Foundation
import KubeModel
import TandemJSON

/// What the runtime policies remember between deploys, kept in the ApplySet parent's
/// annotations: a digest of the rendering last applied in full (apply-once leaves drift alone
/// until the rendering changes), and the objects the application shares without owning them
/// (shared-resource: it takes itself off their list when it lets go).
public struct PolicyState: Sendable, Hashable {
    static let digestAnnotation = "tandem.oam.dev/applied-rendering"
    static let sharedAnnotation = "tandem.oam.dev/shared-objects"

    public var renderingDigest: String?
    public var shared: Set<ObjectReference> = []

    public init() {}

    init(annotations: JSONValue?) {
        renderingDigest = annotations?[Self.digestAnnotation]?.string
        let entries = (annotations?[Self.sharedAnnotation]?.string).flatMap { try? JSONReader().read($0) }?.array ?? []
        shared = Set(entries.compactMap { entry in
            guard let apiVersion = entry["apiVersion"]?.string, let kind = entry["kind"]?.string,
                  let name = entry["name"]?.string else { return nil }
            return ObjectReference(gvk: GroupVersionKind(apiVersion: apiVersion, kind: kind), namespace: entry["namespace"]?.string, name: name)
        })
    }

    /// An interrupted deploy keeps the rendering digest of the last complete one; shared objects add up.
    func union(_ other: PolicyState) -> PolicyState {
        var union = self
        union.shared.formUnion(other.shared)
        return union
    }

    var annotations: [(key: String, value: String)] {
        var annotations: [(key: String, value: String)] = []
        if let renderingDigest { annotations.append((Self.digestAnnotation, renderingDigest)) }
        if !shared.isEmpty {
            let entries: [JSONValue] = shared.sorted().map { reference in
                var entry: JSONObject = ["apiVersion": .string(reference.gvk.apiVersion), "kind": .string(reference.gvk.kind)]
                if let namespace = reference.namespace { entry.append("namespace", .string(namespace)) }
                entry.append("name", .string(reference.name))
                return .object(entry)
            }
            annotations.append((Self.sharedAnnotation, JSONWriter.compact(.array(entries))))
        }
        return annotations
    }

    /// A digest of everything a plan renders, before the policies change anything, and of the
    /// policies that act on it (a changed policy is a changed application, as in KubeVela, whose
    /// revisions include the policies).
    static func digest(_ plan: DeployPlan) -> String {
        var hasher = SHA256()
        for item in plan.items {
            hasher.update(data: JSONWriter.compactBytes(item.object.json))
            hasher.update(data: [0])
        }
        hasher.update(data: RuntimePolicies.fingerprint(of: plan.application))
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
