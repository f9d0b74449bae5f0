import KubeModel
import TandemJSON

/// What `/version` says.
public struct ServerVersion: Sendable, Hashable, CustomStringConvertible {
    public var major: String
    public var minor: String
    public var gitVersion: String

    public init(major: String, minor: String, gitVersion: String) {
        self.major = major
        self.minor = minor
        self.gitVersion = gitVersion
    }

    init(json: JSONValue) {
        major = json["major"]?.string ?? ""
        minor = json["minor"]?.string ?? ""
        gitVersion = json["gitVersion"]?.string ?? ""
    }

    /// The minor version; providers write `27+`, and some leave `minor` empty but fill
    /// `gitVersion` (`v1.27.3-gke.100`).
    public var kubeVersion: KubeVersion? {
        if major == "1", let minor = Int(minor.prefix { $0.isNumber }) { return KubeVersion(minor: minor) }
        let numbers = gitVersion.drop { !$0.isNumber }.split(separator: ".").prefix(2)
        guard numbers.count == 2, numbers[0] == "1", let minor = Int(numbers[1].prefix { $0.isNumber }) else { return nil }
        return KubeVersion(minor: minor)
    }

    public var description: String { gitVersion.isEmpty ? "\(major).\(minor)" : gitVersion }
}
