import KubeModel

/// Which Application: its namespace and name. What the work queue holds.
public struct ApplicationKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var namespace: String
    public var name: String

    public init(namespace: String, name: String) {
        self.namespace = namespace
        self.name = name
    }

    public var description: String { "\(namespace)/\(name)" }

    public static func < (lhs: ApplicationKey, rhs: ApplicationKey) -> Bool { lhs.description < rhs.description }

    /// The Application kind, as the controller serves it.
    public static let gvk = GroupVersionKind(group: "core.oam.dev", version: "v1beta1", kind: "Application")

    public var reference: ObjectReference { ObjectReference(gvk: Self.gvk, namespace: namespace, name: name) }
}
