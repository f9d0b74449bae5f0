import KubeClient
import KubeModel
import TandemJSON
import TandemRendering

/// What `up` would change, object by object: the live object against the result of the
/// server's dry-run apply, both without server-managed fields; objects to be created or pruned
/// whole.
public struct ObjectDiffer: Sendable {
    public var client: KubeClient

    public init(client: KubeClient) {
        self.client = client
    }

    public struct Change: Sendable {
        public var reference: ObjectReference
        public var action: ObjectAction
        /// The unified diff; empty when unchanged.
        public var diff: String
    }

    /// The changes of `plan`, in the order `up` would make them. Objects that are not this
    /// application's are diffed too: `up` would stop at them, `diff` shows what it would do.
    public func changes(_ plan: DeployPlan, parent: any ApplySetParent, forceConflicts: Bool) async throws -> [Change] {
        var options = DeployOptions(forceConflicts: forceConflicts, takeOver: true)
        options.concurrency = 16
        let outcome = try await Deployer(client: client.dryRunning(), options: options).deploy(plan, parent: parent)
        let members = outcome.previousMembers
        var changes: [Change] = []
        for (reference, action) in outcome.actions {
            let path = Self.path(reference)
            switch action {
            case .pruned:
                let live = members[reference].map { YAMLWriter.document(ObjectComparison.sortedKeys(ObjectComparison.normalized($0))) } ?? ""
                changes.append(Change(reference: reference, action: action,
                                      diff: UnifiedDiff.diff(old: live, new: "", oldName: "live/\(path)", newName: "/dev/null")))
            case .kept:
                // A policy leaves it as the cluster has it: up changes nothing there.
                changes.append(Change(reference: reference, action: action, diff: ""))
            case .created, .configured, .unchanged:
                let planned = outcome.applied[reference] ?? plan.items.first { $0.reference == reference }?.object
                var live = members[reference]
                if live == nil, action != .created { live = try await client.get(reference) }
                let old = live.map { YAMLWriter.document(ObjectComparison.sortedKeys(ObjectComparison.normalized($0))) } ?? ""
                let new = planned.map { YAMLWriter.document(ObjectComparison.sortedKeys(ObjectComparison.normalized($0))) } ?? ""
                let diff = UnifiedDiff.diff(old: old, new: new, oldName: live == nil ? "/dev/null" : "live/\(path)",
                                            newName: "tandem/\(path)")
                changes.append(Change(reference: reference, action: diff.isEmpty ? .unchanged : (live == nil ? .created : .configured),
                                      diff: diff))
            }
        }
        return changes
    }

    /// `apps/v1/Deployment/shop/web`: a file-like name for diff headers.
    static func path(_ reference: ObjectReference) -> String {
        [reference.gvk.group.isEmpty ? "core" : reference.gvk.group, reference.gvk.version, reference.gvk.kind,
         reference.namespace, reference.name].compactMap { $0 }.joined(separator: "/")
    }
}
