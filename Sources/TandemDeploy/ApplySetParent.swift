import KubeClient
import KubeModel
import TandemJSON

/// The object that holds an application's ApplySet, read before a deploy and written around it.
public protocol ApplySetParent: Sendable {
    var reference: ObjectReference { get }
    /// The parent's record and inventory; nil when there is no parent yet.
    func read(_ client: KubeClient) async throws -> (record: ApplySetRecord, inventory: Inventory?)?
    /// Writes `record` (and the inventory of what was deployed) to the parent.
    func write(_ record: ApplySetRecord, inventory: Inventory, set: ApplySet, client: KubeClient) async throws
}

/// The parent of an application deployed from the command line: a Secret `tandem-APP` in the
/// application's namespace, as kubectl keeps its own sets in Secrets. It also keeps the
/// application's inventory.
public struct SecretParent: ApplySetParent {
    public var reference: ObjectReference
    public var application: String
    /// `tandem/v0.2.0`.
    public var tooling: String

    public static let secretType = "tandem.oam.dev/applyset"
    public static let inventoryKey = "inventory"

    public init(application: String, namespace: String, tooling: String) {
        reference = ApplySet.commandLineParent(application: application, namespace: namespace)
        self.application = application
        self.tooling = tooling
    }

    public func read(_ client: KubeClient) async throws -> (record: ApplySetRecord, inventory: Inventory?)? {
        guard let secret = try await client.get(reference) else { return nil }
        return (ApplySetRecord(parent: secret), Self.inventory(of: secret))
    }

    public static func inventory(of secret: KubeObject) -> Inventory? {
        guard let encoded = secret.json[path: ["data", inventoryKey]]?.string,
              let bytes = Base64.decode(encoded), let json = try? JSONReader().read(bytes) else { return nil }
        return Inventory(json: json)
    }

    public func write(_ record: ApplySetRecord, inventory: Inventory, set: ApplySet, client: KubeClient) async throws {
        var record = record
        record.tooling = tooling
        let (labels, annotations) = record.metadata(for: set)
        var secret = KubeObject(.secret, name: reference.name, namespace: reference.namespace)
        secret.addLabels(labels + [(LabelKeys.appName, application)])
        secret.addAnnotations(annotations)
        secret.json["type"] = .string(Self.secretType)
        secret.json["data"] = [Self.inventoryKey: .string(Base64.encode(JSONWriter.compactBytes(inventory.json)))]
        // The parent is Tandem's own: take its fields back if someone edited them.
        try await client.apply(secret, options: ApplyOptions(force: true))
    }
}
