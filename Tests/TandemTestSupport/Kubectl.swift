import Foundation
import Testing

/// The real kubectl, an independent judge of what Tandem reads and sends. The one place the
/// tests look for it.
public enum Kubectl {
    /// Every version installed, for tests that check each: exact versions, not the Google Cloud
    /// CLI's dispatcher on PATH (which sends requests of its own and picks a version by the server's).
    public static let versions: [String] = ["/usr/lib/google-cloud-sdk/bin/kubectl.1.32", "/usr/lib/google-cloud-sdk/bin/kubectl.1.33"]
        .filter(FileManager.default.isExecutableFile(atPath:))

    /// The kubectl tests judge with: 1.32 when installed, else 1.33.
    public static let binary: String? = versions.first

    public static let missing = "kubectl 1.32 or 1.33 is not installed (/usr/lib/google-cloud-sdk/bin/kubectl.1.32 or .1.33)"

    /// For tests that need kubectl: skipped without it, except in CI, where they fail.
    public static var isNeeded: ConditionTrait { Judges.needs(binary != nil, missing) }

    /// kubectl's path, or a failure saying it is missing.
    public static func require() throws -> String {
        guard let binary else { throw TestSupportError(missing) }
        return binary
    }

    /// Runs kubectl with a private HOME (so no cache or config of the machine leaks in).
    public static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
                           binary: String? = nil) throws -> ProcessResult {
        let kubectl = try binary ?? require()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("kubectl-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        var variables = ["HOME": home.path, "KUBECONFIG": ""]
        for (key, value) in environment { variables[key] = value }
        return try runProcess([kubectl] + arguments, stdin: stdin, environment: variables)
    }
}
