import KubeClient
import KubeModel
import TandemController
import TandemJSON
import TandemKubeVela
import TandemModel

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

    /// The definitions `tandem up` and `diff` render with from the cluster: those of
    /// `vela-system`, then those of the applications' namespaces (which win, coming later).
    /// Each is loaded as its object; a broken one the applications use (`usedTypes`; nil: any)
    /// is an error naming it. A cluster without the CRDs has no definitions; one that forbids
    /// reading them is said and skipped.
    static func load(_ client: KubeClient, applicationNamespaces: [String], usedTypes: Set<String>?) async throws
        -> DefinitionLoader.Loaded {
        var namespaces = [InstallManifests.definitionNamespace]
        for namespace in applicationNamespaces where !namespaces.contains(namespace) { namespaces.append(namespace) }
        var definitions: [CUEDefinitionSource] = []
        var problems: [Diagnostic] = []
        var definedIn: [String: String] = [:]  // "kind name" -> the application namespace defining it
        for namespace in namespaces {
            for kind in DefinitionKind.allCases {
                let list: KubeClient.ObjectList
                do {
                    list = try await client.list(gvk(kind), namespace: namespace)
                } catch KubeError.configuration {
                    return ([], [])  // the cluster serves no definition CRDs: it has no definitions
                } catch let error as KubeError where error.status?.code == 403 {
                    Output.standardError("tandem: note: the cluster does not let you read \(kind.objectKind)s in namespace \(namespace); "
                        + "rendering without them\n")
                    continue
                }
                for object in list.items {
                    let file = "\(kind.objectKind.lowercased()) \(namespace)/\(object.name) (in the cluster)"
                    let key = "\(kind.rawValue) \(object.name)"
                    let used = usedTypes?.contains(object.name) ?? true
                    if namespace != InstallManifests.definitionNamespace, used {
                        if let other = definedIn[key] {
                            problems.append(Diagnostic(.error, code: .invalidValue,
                                "the \(key) is defined in namespaces \(other) and \(namespace), which differ in this run's applications; "
                                    + "deploy the applications of each namespace with their own command",
                                location: SourceLocation(file: file)))
                            continue
                        }
                        definedIn[key] = namespace
                    }
                    let loaded = DefinitionLoader().load(bytes: Array(JSONWriter.write(object.json).utf8), file: file)
                    definitions += loaded.definitions
                    if used { problems += loaded.problems }
                }
            }
        }
        return (definitions, problems)
    }
}
