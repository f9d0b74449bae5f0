import Foundation
import KubeModel
import TandemJSON

/// The ConfigMaps and Secrets pods may read: those the application defines (through
/// `k8s-objects`, say) and those given with `--with FILE`, by name.
public struct ConfigSources: Sendable {
    public struct Source: Sendable {
        public var kind: Kind
        public var name: String
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

    private static func key(_ kind: Kind, _ name: String) -> String { "\(kind.rawValue)/\(name)" }

    public func find(_ kind: Kind, _ name: String) -> Source? { sources[Self.key(kind, name)] }

    /// Adds `source`, in place of one of the same kind and name.
    public mutating func merge(_ source: Source) {
        sources[Self.key(source.kind, source.name)] = source
    }

    public var all: [Source] { sources.values.sorted { ($0.kind.rawValue, $0.name) < ($1.kind.rawValue, $1.name) } }

    /// Adds `object` when it is a ConfigMap or a Secret; returns the problem with it, if any.
    @discardableResult
    public mutating func add(_ object: KubeObject, origin: String) -> String? {
        guard object.apiVersion == "v1", let kind = Kind(rawValue: object.kind) else { return nil }
        var data: [String: Data] = [:]
        let json = object.json
        switch kind {
        case .configMap:
            for member in json["data"]?.object ?? JSONObject() {
                guard let text = member.value.string else { return "\(object.displayName): data.\(member.key) is not a string" }
                data[member.key] = Data(text.utf8)
            }
            for member in json["binaryData"]?.object ?? JSONObject() {
                guard let decoded = member.value.string.flatMap({ Data(base64Encoded: $0) }) else {
                    return "\(object.displayName): binaryData.\(member.key) is not base64"
                }
                data[member.key] = decoded
            }
        case .secret:
            for member in json["data"]?.object ?? JSONObject() {
                guard let decoded = member.value.string.flatMap({ Data(base64Encoded: $0) }) else {
                    return "\(object.displayName): data.\(member.key) is not base64"
                }
                data[member.key] = decoded
            }
            // stringData wins over data, as the API server merges them.
            for member in json["stringData"]?.object ?? JSONObject() {
                guard let text = member.value.string else { return "\(object.displayName): stringData.\(member.key) is not a string" }
                data[member.key] = Data(text.utf8)
            }
        }
        sources[Self.key(kind, object.name)] = Source(kind: kind, name: object.name, data: data, origin: origin)
        return nil
    }
}
