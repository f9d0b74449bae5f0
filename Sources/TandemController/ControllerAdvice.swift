import TandemDeploy

/// What the owner of an Application should do about a deploy that stopped, in the words of
/// Applications and kubectl: written into its `Applied` condition and its Event. The
/// controller retries on its own, so advice never asks to run anything again.
enum ControllerAdvice {
    static func message(_ error: DeployError) -> String {
        guard let hint = hint(error) else { return error.description }
        return error.description + "\n  hint: " + hint
    }

    static func hint(_ error: DeployError) -> String? {
        switch error {
        case .parentOfAnotherTool(_, let tooling):
            return "the Application object is the ApplySet parent of \(tooling); remove its applyset.kubernetes.io labels and "
                + "annotations to hand it to this controller"
        case .parentOfAnotherSet:
            return nil
        case .foreignObjects(let objects):
            let them = objects.count == 1 ? "it" : "them"
            return "owned by something other than this Application: rename the component or trait that makes \(them) in the "
                + "Application, or delete \(them) with kubectl so that the controller creates \(them) anew"
        case .rejected:
            return error.isConflict
                ? "another field manager owns these fields: stop setting them in the Application, or have that manager release them"
                : "fix the Application; the controller applies it again when it changes"
        case .partiallyApplied:
            return "the controller applies the rest again after a back-off"
                + (error.isConflict ? "; another field manager owns fields of the failed objects: stop setting them in the Application" : "")
        case .definitionsNotEstablished(_, let waiting, _):
            return "see why with kubectl describe customresourcedefinition \(waiting.map(\.name).joined(separator: " ")); "
                + "the controller applies the rest after a back-off"
        case .pruneFailed:
            return "the controller prunes again after a back-off"
        case .unsupportedCluster:
            return nil
        case .missing:
            return "create them; the controller tries again after a back-off"
        }
    }
}
