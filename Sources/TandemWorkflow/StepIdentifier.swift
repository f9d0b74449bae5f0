/// A step's `id` in the status: ten lowercase letters and digits, as KubeVela's, but derived
/// from the application's and the step's names so that the same workflow always gets the same.
enum StepIdentifier {
    static func make(application: String, step: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in "\(application)/\(step)".utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var id = ""
        for _ in 0..<10 {
            id.append(alphabet[Int(hash % 36)])
            hash /= 36
        }
        return id
    }
}
