/// A Kubernetes minor version (`1.29`), the target that rendering adapts to.
public struct KubeVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var minor: Int

    public init(minor: Int) {
        self.minor = minor
    }

    /// The versions Tandem renders for.
    public static let supported = KubeVersion(minor: 25)...KubeVersion(minor: 37)
    public static let newest = supported.upperBound
    /// The first version with native sidecars on by default (`initContainers[].restartPolicy: Always`).
    public static let nativeSidecars = KubeVersion(minor: 29)

    /// Parses `1.29`, `v1.29` or `1.29.3`.
    public init?(parsing text: String) {
        var parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.first?.hasPrefix("v") == true { parts[0] = parts[0].dropFirst() }
        guard (2...3).contains(parts.count), parts[0] == "1", let minor = Int(parts[1]), minor >= 0,
              parts.count == 2 || Int(parts[2]) != nil
        else { return nil }
        self.minor = minor
    }

    public var description: String { "1.\(minor)" }

    public static func < (lhs: KubeVersion, rhs: KubeVersion) -> Bool { lhs.minor < rhs.minor }
}

extension KubeVersion {
    /// The version to render for a cluster (or a `--kube-version`) at `version`: one newer than
    /// the newest Tandem knows is rendered for the newest, which it serves too, with a note
    /// saying so; an older one than the oldest supported is refused (nil).
    public static func target(for version: KubeVersion) -> (version: KubeVersion, note: String?)? {
        if version > newest {
            return (newest, "Kubernetes \(version) is newer than the newest version tandem knows (\(newest)); rendering for \(newest)")
        }
        guard supported.contains(version) else { return nil }
        return (version, nil)
    }
}
