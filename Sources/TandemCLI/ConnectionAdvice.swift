import KubeClient

/// What the user should do about a cluster connection that cannot be made, in the flags of the
/// command that tried: the library says what is wrong, this says how to fix it.
enum ConnectionAdvice {
    /// Who is connecting: a command a person runs, or the controller, which usually runs in a pod.
    enum Runner { case command, controller }

    static func message(_ error: KubeError, runner: Runner = .command) -> String {
        guard let hint = hint(error, runner: runner) else { return error.description }
        return error.description + "; " + hint
    }

    static func hint(_ error: KubeError, runner: Runner = .command) -> String? {
        switch (error, runner) {
        case (.noKubeconfig, .command):
            return "set KUBECONFIG or pass --kubeconfig"
        case (.noKubeconfig, .controller):
            return "run it in a pod (it then uses the pod's service account), set KUBECONFIG, or pass --kubeconfig"
        case (.noContextChosen, _):
            return "choose one with --context, or set one with kubectl config use-context NAME"
        default:
            return nil
        }
    }
}
