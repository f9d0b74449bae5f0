import Crypto
import Foundation
import KubeModel
import TandemJSON

/// An application's ApplySet (KEP-3659): a parent object that records which kinds and
/// namespaces the set spans, and members labelled with the set's id. kubectl reads the same
/// labels, so `kubectl get -l applyset.kubernetes.io/part-of=ID` lists what Tandem owns.
public struct ApplySet: Sendable, Hashable {
    public static let idLabel = "applyset.kubernetes.io/id"
    public static let partOfLabel = "applyset.kubernetes.io/part-of"
    public static let toolingAnnotation = "applyset.kubernetes.io/tooling"
    public static let groupKindsAnnotation = "applyset.kubernetes.io/contains-group-kinds"
    public static let additionalNamespacesAnnotation = "applyset.kubernetes.io/additional-namespaces"
    /// The label a custom resource definition carries when its objects can be ApplySet parents.
    public static let parentTypeLabel = "applyset.kubernetes.io/is-parent-type"

    /// The object that holds the set: a Secret for the command line, the Application itself for
    /// the controller.
    public var parent: ObjectReference
    /// `applyset-<base64url(sha256(name.namespace.Kind.group))>-v1`.
    public var id: String

    public init(parent: ObjectReference) {
        self.parent = parent
        id = Self.id(for: parent)
    }

    /// The KEP's formula, which kubectl computes the same way.
    public static func id(for parent: ObjectReference) -> String {
        let key = "\(parent.name).\(parent.namespace ?? "").\(parent.gvk.kind).\(parent.gvk.group)"
        let digest = Base64.encodeURL(Array(SHA256.hash(data: Data(key.utf8))))
        return "applyset-\(digest)-v1"
    }

    /// The Secret that holds an application's set when deployed from the command line.
    public static func commandLineParent(application: String, namespace: String) -> ObjectReference {
        ObjectReference(gvk: .secret, namespace: namespace, name: "tandem-\(application)")
    }

    /// `tandem` in `tandem/v0.2.0`: tools compare the name only.
    public static let toolName = "tandem"

    /// The label selector of the members.
    public var memberSelector: String { "\(Self.partOfLabel)=\(id)" }
}

/// What a parent object records about its set.
public struct ApplySetRecord: Sendable, Hashable {
    public var groupKinds: Set<GroupKind>
    /// Namespaces of members other than the parent's own.
    public var additionalNamespaces: Set<String>
    public var tooling: String?
    public var id: String?
    /// What the runtime policies keep between deploys: a digest of the rendering last applied
    /// (apply-once), and the objects shared without being owned (shared-resource).
    public var policyState = PolicyState()

    public init(groupKinds: Set<GroupKind> = [], additionalNamespaces: Set<String> = [], tooling: String? = nil, id: String? = nil) {
        self.groupKinds = groupKinds
        self.additionalNamespaces = additionalNamespaces
        self.tooling = tooling
        self.id = id
    }

    /// Reads the labels and annotations of a live parent.
    public init(parent: KubeObject) {
        let annotations = parent.json[path: ["metadata", "annotations"]]
        id = parent.json[path: ["metadata", "labels", ApplySet.idLabel]]?.string
        tooling = annotations?[ApplySet.toolingAnnotation]?.string
        groupKinds = Set((annotations?[ApplySet.groupKindsAnnotation]?.string ?? "").split(separator: ",").map { entry in
            let parts = entry.split(separator: ".", maxSplits: 1)
            return GroupKind(group: parts.count > 1 ? String(parts[1]) : "", kind: String(parts[0]))
        })
        additionalNamespaces = Set((annotations?[ApplySet.additionalNamespacesAnnotation]?.string ?? "")
            .split(separator: ",").map(String.init))
        policyState = PolicyState(annotations: annotations)
    }

    /// The tool that owns the set: `tandem` in `tandem/v0.2.0`.
    public var toolName: String? {
        guard let tooling else { return nil }
        guard let slash = tooling.lastIndex(of: "/") else { return tooling }
        return String(tooling[..<slash])
    }

    public func union(_ other: ApplySetRecord) -> ApplySetRecord {
        var union = ApplySetRecord(groupKinds: groupKinds.union(other.groupKinds),
                                   additionalNamespaces: additionalNamespaces.union(other.additionalNamespaces), tooling: tooling, id: id)
        union.policyState = policyState.union(other.policyState)
        return union
    }

    /// The labels and annotations to apply to the parent, in the form kubectl writes them.
    public func metadata(for set: ApplySet) -> (labels: [(key: String, value: String)], annotations: [(key: String, value: String)]) {
        let kinds = groupKinds.map(\.description).sorted().joined(separator: ",")
        let namespaces = additionalNamespaces.sorted().joined(separator: ",")
        return ([(ApplySet.idLabel, set.id)],
                [(ApplySet.toolingAnnotation, tooling ?? ApplySet.toolName),
                 (ApplySet.groupKindsAnnotation, kinds),
                 (ApplySet.additionalNamespacesAnnotation, namespaces)] + policyState.annotations)
    }
}
