import KubeClient
import KubeModel
import TandemJSON
import TandemModel
import TandemRendering

/// Looks up, before anything is applied, every Secret, ConfigMap, ServiceAccount and
/// PersistentVolumeClaim the application's pods refer to but the application does not define.
/// A missing one is a warning, not an error: another tool may be about to create it.
public struct Preflight: Sendable {
    public var client: KubeClient

    public init(client: KubeClient) {
        self.client = client
    }

    /// A reference from a pod spec to an object it needs.
    public struct Reference: Sendable, Hashable {
        public var target: ObjectReference
        /// The key of a Secret or ConfigMap that a variable reads.
        public var key: String?
        /// `env JWT_SECRET`, `volume certs`, `serviceAccountName`…
        public var use: String
        public var item: Int
        /// The container that reads it, for variables.
        public var container: String?
    }

    /// Every reference in the plan's pod specs to an object the plan does not define.
    public static func references(in plan: DeployPlan) -> [Reference] {
        let defined = Set(plan.items.map(\.reference))
        var references: [Reference] = []
        var seen: Set<Reference> = []
        for (index, item) in plan.items.enumerated() {
            guard let spec = PodSpecLocator.podSpec(of: item.object) else { continue }
            let namespace = item.reference.namespace
            func add(_ gvk: GroupVersionKind, _ name: String?, key: String? = nil, use: String, container: String? = nil) {
                guard let name, !name.isEmpty else { return }
                let target = ObjectReference(gvk: gvk, namespace: namespace, name: name)
                guard !defined.contains(target) else { return }
                let reference = Reference(target: target, key: key, use: use, item: index, container: container)
                if seen.insert(reference).inserted { references.append(reference) }
            }
            add(.serviceAccount, spec["serviceAccountName"]?.string, use: "serviceAccountName")
            for secret in spec["imagePullSecrets"]?.array ?? [] { add(.secret, secret["name"]?.string, use: "imagePullSecrets") }
            for volume in spec["volumes"]?.array ?? [] {
                let name = volume["name"]?.string ?? ""
                if volume[path: ["secret", "optional"]]?.bool != true {
                    add(.secret, volume[path: ["secret", "secretName"]]?.string, use: "volume \(name)")
                }
                if volume[path: ["configMap", "optional"]]?.bool != true {
                    add(.configMap, volume[path: ["configMap", "name"]]?.string, use: "volume \(name)")
                }
                add(.persistentVolumeClaim, volume[path: ["persistentVolumeClaim", "claimName"]]?.string, use: "volume \(name)")
            }
            for field in ["initContainers", "containers"] {
                for container in spec[field]?.array ?? [] {
                    for variable in container["env"]?.array ?? [] {
                        let name = variable["name"]?.string ?? ""
                        for (kind, gvk) in [("secretKeyRef", GroupVersionKind.secret), ("configMapKeyRef", .configMap)] {
                            guard let source = variable[path: ["valueFrom", kind]], source["optional"]?.bool != true else { continue }
                            add(gvk, source["name"]?.string, key: source["key"]?.string, use: "env \(name)",
                                container: container["name"]?.string)
                        }
                    }
                    for source in container["envFrom"]?.array ?? [] {
                        for (kind, gvk) in [("secretRef", GroupVersionKind.secret), ("configMapRef", .configMap)] {
                            guard let reference = source[kind], reference["optional"]?.bool != true else { continue }
                            add(gvk, reference["name"]?.string, use: "envFrom", container: container["name"]?.string)
                        }
                    }
                }
            }
        }
        return references
    }

    /// The references whose object, or key, is missing, each as a warning with the place in the
    /// user's file that names it.
    public func missing(in plan: DeployPlan) async throws -> [Diagnostic] {
        let references = Self.references(in: plan)
        let targets = Array(Set(references.map(\.target))).sorted()
        let client = self.client
        let found = await concurrentMap(targets, limit: 8) { target -> Result<KubeObject?, any Error> in
            do { return .success(try await client.get(target)) } catch { return .failure(error) }
        }
        var live: [ObjectReference: KubeObject?] = [:]
        for (target, result) in zip(targets, found) { live[target] = try result.get() }
        var warnings: [Diagnostic] = []
        for reference in references {
            let item = plan.items[reference.item]
            let object = live[reference.target] ?? nil
            let what = "\(reference.target.gvk.kind) '\(reference.target.name)'"
            let user = plan.describeContainer(reference.container, of: item.origin)
            let message: String
            if object == nil {
                message = "\(user) uses the \(what) (\(reference.use)), which does not exist in namespace "
                    + "\(reference.target.namespace ?? plan.namespace)"
            } else if let key = reference.key, let object, !Self.has(key, object) {
                message = "\(user) reads the key '\(key)' of the \(what) (\(reference.use)), which has no such key"
            } else {
                continue
            }
            warnings.append(Diagnostic(.warning, code: .missingReference, message,
                                       location: plan.location(ofValue: reference.target.name, madeBy: item.origin),
                                       hint: "create it before the pods start, or they will wait with CreateContainerConfigError"))
        }
        return warnings
    }

    static func has(_ key: String, _ object: KubeObject) -> Bool {
        object.json[path: ["data", key]] != nil || object.json[path: ["stringData", key]] != nil
            || object.json[path: ["binaryData", key]] != nil
    }
}

/// Where a workload keeps its pod spec.
enum PodSpecLocator {
    static func podSpec(of object: KubeObject) -> JSONValue? {
        switch object.kind {
        case "Pod": return object.json["spec"]
        case "CronJob": return object.json[path: ["spec", "jobTemplate", "spec", "template", "spec"]]
        default: return object.json[path: ["spec", "template", "spec"]]
        }
    }
}

extension DeployPlan {
    /// "the sidecar 'log-shipper' (sidecar trait) of component 'web'", or the origin's description.
    func describeContainer(_ name: String?, of origin: ObjectOrigin) -> String {
        guard let name, let container = application.components.first(where: { $0.name == origin.component })?
            .containers.first(where: { $0.name == name }) else { return origin.description }
        switch container.role {
        case .main: return "the container '\(name)' of component '\(origin.component)'"
        case .sidecar, .nativeSidecar, .initContainer:
            let kind = container.role == .initContainer ? "init container" : "sidecar"
            return "the \(kind) '\(name)'" + (container.trait.map { " (\($0.type) trait)" } ?? "") + " of component '\(origin.component)'"
        }
    }

    /// The place in the user's file where `value` is written inside the component or trait that
    /// made an object; the component or trait itself when the value is not written there.
    public func location(ofValue value: String, madeBy origin: ObjectOrigin) -> SourceLocation? {
        guard let source = application.application.source,
              let component = application.components.first(where: { $0.name == origin.component }) else { return location(of: origin) }
        let base: FieldPath = ["spec", "components", .index(component.index)]
        if let node = source.node(at: base), let position = source.firstString(value, from: node, value: source.root[path: base]) {
            return SourceLocation(file: source.file, position: position)
        }
        return location(of: origin)
    }
}

extension SourceMap {
    /// The position of the first string scalar equal to `text` at or under the node `index`,
    /// whose parsed value is `value`.
    func firstString(_ text: String, from index: Int, value: JSONValue?) -> SourcePosition? {
        switch value {
        case .string(let string)?:
            return string == text ? node(index).position : nil
        case .object(let object)?:
            var child = firstChild(of: index)
            for member in object {
                if let found = firstString(text, from: child, value: member.value) { return found }
                child = nextSibling(of: child)
            }
            return nil
        case .array(let items)?:
            var child = firstChild(of: index)
            for item in items {
                if let found = firstString(text, from: child, value: item) { return found }
                child = nextSibling(of: child)
            }
            return nil
        default:
            return nil
        }
    }
}

extension JSONValue {
    subscript(path path: FieldPath) -> JSONValue? {
        var current: JSONValue? = self
        for component in path.components {
            switch component {
            case .key(let key): current = current?[key]
            case .index(let index): current = current?.array.flatMap { $0.indices.contains(index) ? $0[index] : nil }
            }
        }
        return current
    }
}
