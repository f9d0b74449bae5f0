import KubeClient
import KubeModel

/// Why a deploy stopped, with every object concerned: facts, not advice. Whoever runs the
/// deploy says what its own user should do (the command line names its flags, the controller
/// the Application's fields); `description` is the facts alone.
public enum DeployError: Error, Sendable, CustomStringConvertible {
    /// The ApplySet's parent is managed by another tool (its `tooling` annotation).
    case parentOfAnotherTool(ObjectReference, tooling: String)
    /// The ApplySet's parent carries another set's id.
    case parentOfAnotherSet(ObjectReference, id: String, expected: String)
    /// Objects that exist and are not this application's: nothing was applied.
    case foreignObjects([ForeignObject])
    /// The server's dry run refused objects: nothing was applied.
    case rejected([(object: String, error: KubeError)])
    /// Applying failed part-way: what was applied, what failed, what was not attempted; nothing was pruned.
    case partiallyApplied(applied: [ObjectReference], failed: [(object: String, error: KubeError)], notAttempted: [ObjectReference])
    /// Custom resource definitions were applied but not established in time: their custom
    /// resources were not applied, nothing was pruned.
    case definitionsNotEstablished(applied: [ObjectReference], waiting: [(name: String, reason: String)], notAttempted: [ObjectReference])
    /// Pruning failed for some objects (everything was applied).
    case pruneFailed([(reference: ObjectReference, error: KubeError)])
    /// The cluster is too old for what the application needs.
    case unsupportedCluster(String)
    /// Objects that must exist do not: those a read-only policy selects, and those a take-over
    /// policy adopts as they are (given by their metadata alone). Nothing was applied.
    case missing([String], policy: String)

    public struct ForeignObject: Sendable {
        public var object: String
        /// "part of application 'shop' (ApplySet …)", "not part of any ApplySet", …
        public var owner: String
        /// The ApplySet it belongs to, when it belongs to one.
        public var applySet: String?

        public init(object: String, owner: String, applySet: String?) {
            self.object = object
            self.owner = owner
            self.applySet = applySet
        }
    }

    /// The field managers whose fields stopped the deploy.
    public var conflictingManagers: Set<String> {
        let errors: [KubeError]
        switch self {
        case .rejected(let objects): errors = objects.map(\.error)
        case .partiallyApplied(_, let failed, _): errors = failed.map(\.error)
        default: errors = []
        }
        return errors.reduce(into: []) { managers, error in managers.formUnion(error.status?.conflictingManagers ?? []) }
    }

    /// Whether the server refused some objects because another manager owns fields they set.
    public var isConflict: Bool {
        if case .rejected(let objects) = self { return objects.contains { $0.error.isConflict } }
        if case .partiallyApplied(_, let failed, _) = self { return failed.contains { $0.error.isConflict } }
        return false
    }

    public var description: String {
        switch self {
        case .parentOfAnotherTool(let reference, let tooling):
            return "the ApplySet parent \(reference) is managed by \(tooling), not tandem"
        case .parentOfAnotherSet(let reference, let id, let expected):
            return "the ApplySet parent \(reference) carries the ApplySet id \(id), not \(expected)"
        case .foreignObjects(let objects):
            let lines = objects.map { "  \($0.object): exists and is \($0.owner)" }.joined(separator: "\n")
            return "\(objects.count == 1 ? "an object" : "\(objects.count) objects") the application would change "
                + "\(objects.count == 1 ? "already exists and is" : "already exist and are") not its own; nothing was applied:\n\(lines)"
        case .rejected(let objects):
            let lines = objects.map { "  \($0.object): \(Self.indent($0.error.description))" }.joined(separator: "\n")
            return "the cluster refused \(objects.count == 1 ? "an object" : "\(objects.count) objects") in a dry run; nothing was applied:\n\(lines)"
        case .partiallyApplied(let applied, let failed, let notAttempted):
            var text = "applying stopped after \(applied.count) of \(applied.count + failed.count + notAttempted.count) objects:\n"
            text += failed.map { "  \($0.object): \(Self.indent($0.error.description))" }.joined(separator: "\n")
            if !applied.isEmpty { text += "\n  applied: " + applied.map(\.kubectlName).joined(separator: ", ") }
            if !notAttempted.isEmpty { text += "\n  not applied: " + notAttempted.map(\.kubectlName).joined(separator: ", ") }
            text += "\n  nothing was pruned"
            return text
        case .definitionsNotEstablished(let applied, let waiting, let notAttempted):
            var text = "\(waiting.count == 1 ? "a custom resource definition was" : "\(waiting.count) custom resource definitions were") "
                + "applied but not established in time:\n"
            text += waiting.map { "  customresourcedefinition/\($0.name): \($0.reason)" }.joined(separator: "\n")
            if !applied.isEmpty { text += "\n  applied: " + applied.map(\.kubectlName).joined(separator: ", ") }
            if !notAttempted.isEmpty { text += "\n  not applied: " + notAttempted.map(\.kubectlName).joined(separator: ", ") }
            text += "\n  nothing was pruned"
            return text
        case .pruneFailed(let failures):
            return "everything was applied, but pruning failed for:\n"
                + failures.map { "  \($0.reference.kubectlName): \(Self.indent($0.error.description))" }.joined(separator: "\n")
        case .unsupportedCluster(let message):
            return message
        case .missing(let objects, let policy):
            let lines = objects.map { "  \($0): does not exist" }.joined(separator: "\n")
            let role = policy == "read-only" ? "only reads" : "adopts as it is"
            return "\(objects.count == 1 ? "an object" : "\(objects.count) objects") the application \(role) (\(policy) policy) "
                + "\(objects.count == 1 ? "does" : "do") not exist; nothing was applied:\n\(lines)"
        }
    }

    static func indent(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "\n  ")
    }
}
