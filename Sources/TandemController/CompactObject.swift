import Crypto
import KubeModel
import TandemJSON

/// A watched object kept as compact JSON bytes, parsed again when a pass reads it: a parsed tree
/// costs several times the memory, and ten thousand applications keep three objects each.
struct CompactObject: Sendable {
    private let bytes: [UInt8]

    init(_ object: KubeObject) {
        bytes = JSONWriter.compactBytes(object.json)
    }

    var object: KubeObject {
        KubeObject(json: (try? JSONReader().read(bytes)) ?? .object(JSONObject()))
    }

    /// A digest of a JSON value, to tell whether two differ without keeping both.
    static func digest(_ value: JSONValue) -> [UInt8] {
        Array(SHA256.hash(data: JSONWriter.compactBytes(value)))
    }
}
