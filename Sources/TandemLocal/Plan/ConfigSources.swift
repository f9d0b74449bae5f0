import Foundation
import KubeModel
import TandemJSON
import TandemModel

/// The ConfigMaps and Secrets pods may read: those the application defines (through
/// `k8s-objects`, say) and those given with `--with FILE`, by namespace and name. As in a
/// cluster, a pod reads only those of its own namespace; one given without a namespace is in
/// the namespace of whichever application reads it (as `kubectl apply -n` would put it there).
public struct ConfigSources: Sendable {
    public struct Source: Sendable {
        public var kind: Kind
        public var name: String
        /// nil: given without a namespace.
        public var namespace: String?
        public var data: [String: Data]
        /// Where it came from, for messages: the file given with --with, or the component.
        public var origin: String
    }

    public enum Kind: String, Sendable {
        case configMap = "ConfigMap"
        case secret = "Secret"
    }

    private var sources: [String: Source] = [:]

    public init() {}

    private static func key(_ kind: Kind, _ namespace: String?, _ name: String) -> String { "\(kind.rawValue)/\(namespace ?? "")/\(name)" }

    /// The source a pod of `namespace` reads by `name`: its namespace's, else one given without a namespace.
    public func find(_ kind: Kind, _ name: String, namespace: String) -> Source? {
        sources[Self.key(kind, namespace, name)] ?? sources[Self.key(kind, nil, name)]
    }

    /// The namespaces, other than `namespace`, that hold a source of this kind and name: why a reference is not found.
    public func otherNamespaces(_ kind: Kind, _ name: String, namespace: String) -> [String] {
        sources.values.filter { $0.kind == kind && $0.name == name }.compactMap(\.namespace).filter { $0 != namespace }.sorted()
    }

    /// Adds `source`, in place of one of the same kind, namespace and name.
    public mutating func merge(_ source: Source) {
        sources[Self.key(source.kind, source.namespace, source.name)] = source
    }

    public var all: [Source] {
        sources.values.sorted { ($0.kind.rawValue, $0.namespace ?? "", $0.name) < ($1.kind.rawValue, $1.namespace ?? "", $1.name) }
    }

    /// What is wrong with one value of a ConfigMap or Secret, and where in the object it is.
    public struct Problem: Sendable, Equatable {
        public var message: String
        public var path: FieldPath
    }

    /// Adds `object` when it is a ConfigMap or a Secret; returns the problem with it, if any.
    @discardableResult
    public mutating func add(_ object: KubeObject, origin: String, defaultNamespace: String? = nil) -> Problem? {
        guard object.apiVersion == "v1", let kind = Kind(rawValue: object.kind) else { return nil }
        var data: [String: Data] = [:]
        let json = object.json
        switch kind {
        case .configMap:
            for member in json["data"]?.object ?? JSONObject() {
                guard let text = member.value.string else {
                    return Problem(message: "\(object.displayName): data.\(member.key) is not a string", path: ["data", .key(member.key)])
                }
                data[member.key] = Data(text.utf8)
            }
            for member in json["binaryData"]?.object ?? JSONObject() {
                guard let decoded = member.value.string.flatMap({ Data(base64Encoded: $0) }) else {
                    return Problem(message: "\(object.displayName): binaryData.\(member.key) is not base64", path: ["binaryData", .key(member.key)])
                }
                data[member.key] = decoded
            }
        case .secret:
            for member in json["data"]?.object ?? JSONObject() {
                guard let decoded = member.value.string.flatMap({ Data(base64Encoded: $0) }) else {
                    return Problem(message: "\(object.displayName): data.\(member.key) is not base64", path: ["data", .key(member.key)])
                }
                data[member.key] = decoded
            }
            // stringData wins over data, as the API server merges them.
            for member in json["stringData"]?.object ?? JSONObject() {
                guard let text = member.value.string else {
                    return Problem(message: "\(object.displayName): stringData.\(member.key) is not a string", path: ["stringData", .key(member.key)])
                }
                data[member.key] = Data(text.utf8)
            }
        }
        let namespace = object.namespace ?? defaultNamespace
        sources[Self.key(kind, namespace, object.name)] = Source(kind: kind, name: object.name, namespace: namespace, data: data, origin: origin)
        return nil
    }
}
