import KubeModel

/// An application `tandem up` deployed, as its ApplySet parent Secret describes it.
public struct DeployedSet: Sendable, Hashable {
    public var name: String
    public var namespace: String
    public var inventory: Inventory
    public var set: ApplySet

    /// Nil for a Secret that is not a parent `tandem up` wrote.
    public init?(secret: KubeObject) {
        guard secret.json["type"]?.string == SecretParent.secretType,
              let name = secret.json[path: ["metadata", "labels", LabelKeys.appName]]?.string else { return nil }
        self.name = name
        namespace = secret.namespace ?? "default"
        inventory = SecretParent.inventory(of: secret) ?? Inventory(application: name, components: [])
        set = ApplySet(parent: secret.reference)
    }
}
