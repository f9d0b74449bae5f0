import KubeClient
import KubeModel
import TandemKubeVela

/// KubeVela's definition objects in a cluster: reading them, and saying what to do when the
/// cluster lacks their CRDs.
enum ClusterDefinitions {
    static func gvk(_ kind: DefinitionKind) -> GroupVersionKind {
        GroupVersionKind(apiVersion: "core.oam.dev/v1beta1", kind: kind.objectKind)
    }

    /// `body`, with a missing definition CRD said as the command that installs it.
    static func explainingMissingCRDs<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch KubeError.configuration(let message) where message.contains("core.oam.dev") {
            throw CLIFailure("\(message): the cluster lacks KubeVela's definition CRDs; install them with "
                + "tandem install | kubectl apply --server-side -f -")
        }
    }

    /// Every definition object of every kind in `namespace` (nil: all namespaces).
    static func list(_ client: KubeClient, namespace: String?) async throws -> [(kind: DefinitionKind, object: KubeObject)] {
        var found: [(kind: DefinitionKind, object: KubeObject)] = []
        for kind in DefinitionKind.allCases {
            let list = try await explainingMissingCRDs { try await client.list(gvk(kind), namespace: namespace) }
            found += list.items.map { (kind, $0) }
        }
        return found
    }
}
