import KubeClient
import KubeModel

/// Why a deploy stopped, with every object concerned and what to do.
public enum DeployError: Error, Sendable, CustomStringConvertible {
    /// The ApplySet's parent belongs to another tool, or to another set.
    case parentNotOurs(ObjectReference, reason: String)
    /// Objects that exist and are not this application's: nothing was applied.
    case foreignObjects([ForeignObject])
    /// The server's dry run refused objects: nothing was applied.
    case rejected([(object: String, error: KubeError)])
    /// Applying failed part-way: what was applied, what failed, what was not attempted.
    case partiallyApplied(applied: [ObjectReference], failed: [(object: String, error: KubeError)], notAttempted: [ObjectReference])
    /// Pruning failed for some objects (everything was applied).
    case pruneFailed([(reference: ObjectReference, error: KubeError)])
    /// The cluster is too old for what the application needs.
    case unsupportedCluster(String)

    public struct ForeignObject: Sendable {
        public var object: String
        /// "another application's (ApplySet applyset-…)", "not managed by any ApplySet", …
        public var owner: String
        /// The ApplySet it belongs to, when it belongs to one.
        public var applySet: String?
    }

    public var description: String {
        switch self {
        case .parentNotOurs(let reference, let reason):
            return "the ApplySet parent \(reference) \(reason)"
        case .foreignObjects(let objects):
            let lines = objects.map { "  \($0.object): exists and is \($0.owner)" }.joined(separator: "\n")
            return "\(objects.count == 1 ? "an object" : "\(objects.count) objects") the application would change "
                + "\(objects.count == 1 ? "already exists and is" : "already exist and are") not its own; nothing was applied:\n\(lines)\n"
                + "  hint: rename the component or trait that makes \(objects.count == 1 ? "it" : "them"), delete "
                + "\(objects.count == 1 ? "it" : "them"), or pass --take-over to adopt \(objects.count == 1 ? "it" : "them") into this application"
        case .rejected(let objects):
            let lines = objects.map { "  \($0.object): \(Self.indent($0.error.description))" }.joined(separator: "\n")
            return "the cluster refused \(objects.count == 1 ? "an object" : "\(objects.count) objects") in a dry run; nothing was applied:\n\(lines)"
                + (objects.contains { $0.error.isConflict }
                    ? "\n  hint: another manager owns these fields; pass --force-conflicts to take them, or stop setting them" : "")
        case .partiallyApplied(let applied, let failed, let notAttempted):
            var text = "applying stopped after \(applied.count) of \(applied.count + failed.count + notAttempted.count) objects:\n"
            text += failed.map { "  \($0.object): \(Self.indent($0.error.description))" }.joined(separator: "\n")
            if !applied.isEmpty { text += "\n  applied: " + applied.map(\.kubectlName).joined(separator: ", ") }
            if !notAttempted.isEmpty { text += "\n  not applied: " + notAttempted.map(\.kubectlName).joined(separator: ", ") }
            text += "\n  nothing was pruned; run up again once the cause is fixed"
            return text
        case .pruneFailed(let failures):
            return "everything was applied, but pruning failed for:\n"
                + failures.map { "  \($0.reference.kubectlName): \(Self.indent($0.error.description))" }.joined(separator: "\n")
        case .unsupportedCluster(let message):
            return message
        }
    }

    static func indent(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "\n  ")
    }
}
