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

    /// Whether both say the same apart from their resourceVersion: a write that changed nothing
    /// the controller keeps (a pod bound to its node, a field trimmed away).
    func sameApartFromVersion(_ other: CompactObject) -> Bool {
        let (before, after) = (Self.versionRange(bytes), Self.versionRange(other.bytes))
        guard let before, let after else { return bytes == other.bytes }
        return bytes[..<before.lowerBound] == other.bytes[..<after.lowerBound]
            && bytes[before.upperBound...] == other.bytes[after.upperBound...]
    }

    /// Where the value of the first `"resourceVersion":"` is (metadata's: it comes before spec
    /// and status, and a quote inside a string value is escaped, so the key cannot be faked).
    private static func versionRange(_ bytes: [UInt8]) -> Range<Int>? {
        let marker = Array(#""resourceVersion":""#.utf8)
        guard bytes.count > marker.count else { return nil }
        for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] && bytes[start..<start + marker.count].elementsEqual(marker) {
            let valueStart = start + marker.count
            guard let end = bytes[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return valueStart..<end
        }
        return nil
    }

    var object: KubeObject {
        KubeObject(json: (try? JSONReader().read(bytes)) ?? .object(JSONObject()))
    }

    /// A digest of a JSON value, to tell whether two differ without keeping both.
    static func digest(_ value: JSONValue) -> [UInt8] {
        Array(SHA256.hash(data: JSONWriter.compactBytes(value)))
    }
}
