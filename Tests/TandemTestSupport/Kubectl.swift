import Foundation

/// The real kubectl, an independent judge of what Tandem reads and sends.
public enum Kubectl {
    /// kubectl itself, not the Google Cloud CLI's dispatcher (which sends requests of its own
    /// before running the real binary): 1.32 when installed, else whatever is on PATH.
    public static let binary: String? = {
        let candidates = ["/usr/lib/google-cloud-sdk/bin/kubectl.1.32", "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"]
        if let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) { return found }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/kubectl" }.first(where: FileManager.default.isExecutableFile(atPath:))
    }()

    /// Every kubectl version installed, for tests that check both.
    public static let versions: [String] = ["/usr/lib/google-cloud-sdk/bin/kubectl.1.32", "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"]
        .filter(FileManager.default.isExecutableFile(atPath:))

    /// Runs kubectl with a private HOME (so no cache or config of the machine leaks in).
    public static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
                           binary: String? = nil) throws -> ProcessResult {
        guard let kubectl = binary ?? Self.binary else { throw TestSupportError("kubectl is not installed") }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kubectl-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        var variables = ["HOME": home.path, "KUBECONFIG": ""]
        for (key, value) in environment { variables[key] = value }
        return try runProcess([kubectl] + arguments, stdin: stdin, environment: variables)
    }
}
