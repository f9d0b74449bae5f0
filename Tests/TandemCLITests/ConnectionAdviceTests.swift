import KubeClient
@testable import TandemCLI
import TandemTestSupport
import Testing

/// A connection that cannot be made is described as facts by KubeClient; `tandem` adds advice in
/// its flags, and the controller advice for where it runs.
@Suite struct ConnectionAdviceTests {
    @Test func aCommandSaysWhichFlagHelps() {
        #expect(ConnectionAdvice.message(.noKubeconfig(searched: ["/home/me/.kube/config"]))
            == "no kubeconfig was found (looked for /home/me/.kube/config); set KUBECONFIG or pass --kubeconfig")
        #expect(ConnectionAdvice.message(.noContextChosen(contexts: ["a", "b"]))
            == "the kubeconfig sets no current-context; its contexts are a, b; choose one with --context, "
            + "or set one with kubectl config use-context NAME")
    }

    @Test func theControllerIsToldAboutItsServiceAccount() {
        let message = ConnectionAdvice.message(.noKubeconfig(searched: ["/root/.kube/config"]), runner: .controller)
        #expect(message.contains("run it in a pod (it then uses the pod's service account)"))
    }

    @Test func otherErrorsGetNoAdvice() {
        let error = KubeError.configuration("the kubeconfig /tmp/x is not valid YAML: bad")
        #expect(ConnectionAdvice.message(error) == error.description)
    }

    /// The whole path: `tandem status` with no kubeconfig anywhere.
    @Test func statusWithoutAKubeconfigGivesTheHint() throws {
        let run = try Tandem.run(["status", "nosuch"], environment: ["HOME": "/nonexistent", "KUBECONFIG": ""])
        #expect(run.status == 2)
        #expect(run.stderr.contains("no kubeconfig was found (looked for /nonexistent/.kube/config); set KUBECONFIG or pass --kubeconfig"),
                "\(run.stderr)")
    }
}
