import TandemDeploy

/// What a user of `tandem up` should do about a deploy that stopped, in its flags.
enum DeployAdvice {
    static func message(_ error: DeployError) -> String {
        guard let hint = hint(error) else { return error.description }
        return error.description + "\n  hint: " + hint
    }

    static func hint(_ error: DeployError) -> String? {
        switch error {
        case .parentOfAnotherTool:
            return "pass --take-over to manage the set with tandem from now on"
        case .parentOfAnotherSet:
            return nil
        case .foreignObjects(let objects):
            let them = objects.count == 1 ? "it" : "them"
            return "rename the component or trait that makes \(them), delete \(them), or pass --take-over to adopt \(them) into this application"
        case .rejected:
            return error.isConflict ? "another manager owns these fields; pass --force-conflicts to take them, or stop setting them" : nil
        case .partiallyApplied:
            return "run up again once the cause is fixed"
                + (error.isConflict ? "; another manager owns fields of the failed objects: pass --force-conflicts to take them" : "")
        case .definitionsNotEstablished(_, let waiting, _):
            return "see why with kubectl describe customresourcedefinition \(waiting.map(\.name).joined(separator: " ")), "
                + "then run up again"
        case .pruneFailed:
            return "run up again to prune what is left"
        case .unsupportedCluster:
            return nil
        case .missing(_, let policy):
            return "create them first, or write them out in full and out of the \(policy) policy's rules so that up creates them"
        }
    }
}
