import KubeClient
import KubeModel
import Synchronization
import TandemDefinitions
import TandemJSON
import TandemKubeVela
import TandemModel

/// The cluster's KubeVela definitions, as the controller's watches see them, and the registry
/// each Application renders with: the built-ins, then the shared namespaces' definitions
/// (`vela-system`, the controller's own), then the Application's namespace's, each winning over
/// what came before.
final class DefinitionStore: Sendable {
    static let kinds = DefinitionKind.allCases

    static func gvk(_ kind: DefinitionKind) -> GroupVersionKind {
        GroupVersionKind(apiVersion: "core.oam.dev/v1beta1", kind: kind.objectKind)
    }

    /// The namespaces whose definitions every Application sees, in the order they win.
    let sharedNamespaces: [String]

    private struct State {
        /// namespace → "kind name" → the object.
        var objects: [String: [String: KubeObject]] = [:]
        var listed: Set<String> = []
    }

    private let state = Mutex(State())

    init(controllerNamespace: String) {
        sharedNamespaces = uniqued([InstallManifests.definitionNamespace, controllerNamespace])
    }

    static func key(_ object: KubeObject) -> String { "\(object.kind) \(object.name)" }

    /// Applies a watch change of one kind; returns the namespaces and definition names it touched.
    func apply(_ change: Reflector.Change, kind: DefinitionKind) -> [(namespace: String, name: String)] {
        state.withLock { state in
            switch change {
            case .listed(let items):
                var touched: [(String, String)] = []
                for (namespace, objects) in state.objects {
                    for (key, object) in objects where object.kind == kind.objectKind {
                        state.objects[namespace]?[key] = nil
                        touched.append((namespace, object.name))
                    }
                }
                for item in items {
                    state.objects[item.namespace ?? "", default: [:]][Self.key(item)] = item
                    touched.append((item.namespace ?? "", item.name))
                }
                state.listed.insert(kind.objectKind)
                return touched
            case .upserted(let object):
                state.objects[object.namespace ?? "", default: [:]][Self.key(object)] = object
                return [(object.namespace ?? "", object.name)]
            case .deleted(let object):
                state.objects[object.namespace ?? "", default: [:]][Self.key(object)] = nil
                return [(object.namespace ?? "", object.name)]
            }
        }
    }

    /// The kind cannot be listed (no CRD, or not allowed): startup does not wait for it.
    func markUnavailable(_ kind: DefinitionKind) {
        _ = state.withLock { $0.listed.insert(kind.objectKind) }
    }

    var isSynced: Bool { state.withLock { $0.listed.count == Self.kinds.count } }

    /// Whether a change in `namespace` concerns Applications of `applicationNamespace`.
    func concerns(_ namespace: String, applicationNamespace: String) -> Bool {
        sharedNamespaces.contains(namespace) || namespace == applicationNamespace
    }

    /// The definition objects an Application of `namespace` sees, in the order they win.
    private func objects(for namespace: String) -> [(namespace: String, object: KubeObject)] {
        state.withLock { state in
            var namespaces = sharedNamespaces
            if !namespaces.contains(namespace) { namespaces.append(namespace) }
            return namespaces.flatMap { namespace in
                (state.objects[namespace] ?? [:]).sorted { $0.key < $1.key }.map { (namespace, $0.value) }
            }
        }
    }

    /// What changes when any definition an Application of `namespace` sees does.
    func fingerprint(for namespace: String) -> String {
        objects(for: namespace).map { "\($0.namespace)/\(Self.key($0.object))@\($0.object.json[path: ["metadata", "resourceVersion"]]?.string ?? "")" }
            .joined(separator: ";")
    }

    /// The registry `application` (of `namespace`) renders with, and the problems of the
    /// definitions it uses that do not load, each located in its object.
    func registry(for namespace: String, application: KubeObject) -> (registry: DefinitionRegistry, problems: [Diagnostic]) {
        let objects = objects(for: namespace)
        guard !objects.isEmpty else { return (.builtIn, []) }
        var sources: [CUEDefinitionSource] = []
        var problems: [Diagnostic] = []
        for (namespace, object) in objects {
            let file = "\(object.kind.lowercased()) \(namespace)/\(object.name) (in the cluster)"
            let loaded = DefinitionLoader().load(bytes: Array(JSONWriter.write(object.json).utf8), file: file)
            sources += loaded.definitions
            if Self.uses(application, object.name) { problems += loaded.problems.filter(\.isError) }
        }
        return (CustomDefinitions.registry(adding: sources).registry, problems)
    }

    /// Whether `application` names `name` as a component, trait, policy or workflow step type.
    static func uses(_ application: KubeObject, _ name: String) -> Bool {
        let spec = application.json["spec"]
        let components = spec?["components"]?.array ?? []
        let types = components.compactMap { $0["type"]?.string }
            + components.flatMap { ($0["traits"]?.array ?? []).compactMap { $0["type"]?.string } }
            + (spec?["policies"]?.array ?? []).compactMap { $0["type"]?.string }
            + (spec?[path: ["workflow", "steps"]]?.array ?? []).compactMap { $0["type"]?.string }
        return types.contains(name)
    }
}

/// The elements once each, in their first order.
private func uniqued(_ values: [String]) -> [String] {
    var seen: Set<String> = []
    return values.filter { seen.insert($0).inserted }
}
