import TandemJSON

/// What decides whether an update replaces a pod — its workload's pod template, as on a cluster
/// (a ConfigMap's new values reach a running pod's files, not its environment) — and how a
/// replacement is named.
enum PodTemplate {
    /// FNV-1a of the template's JSON text: the same in every process, unlike Swift's `Hasher`.
    static func fingerprint(_ template: JSONValue) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in JSONWriter.compact(template).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// `web-0`, then `web-0.1`, `web-0.2`: a pod's name has no dot, so no other pod's can be one of these.
    static func instance(_ pod: String, revision: Int) -> String {
        revision == 0 ? pod : "\(pod).\(revision)"
    }
}
