@testable import TandemCLI
import TandemLocal
import Testing

/// A local run that cannot start is described by TandemLocal without tandem's flags; `up --local`
/// adds its remedy in them.
@Suite struct LocalAdviceTests {
    static let subject = "sidecar 'db' in pod web-0 (component 'web')"

    @Test func theLibraryHintHasNoFlagsAndTandemAddsThem() {
        let missing = LocalProblem(Self.subject, reason: "CreateContainerConfigError", "secret \"creds\" not found",
                                   hint: "define it in the application (a k8s-objects component)", remedy: .supplyObject)
        #expect(!missing.description.contains("--"))
        #expect(LocalAdvice.describe(missing).hasSuffix(
            "hint: define it in the application (a k8s-objects component), or give it with --with FILE"))
    }

    @Test func eachRemedyInTandemsWords() {
        let running = LocalProblem("application shop", "it is already running locally",
                                   remedy: .stopRunningCopy(application: "shop", namespace: "team-a"))
        #expect(LocalAdvice.hint(running) == "stop it first: tandem down --local shop -n team-a")
        let here = LocalProblem("application shop", "it is already running locally",
                                remedy: .stopRunningCopy(application: "shop", namespace: "default"))
        #expect(LocalAdvice.hint(here) == "stop it first: tandem down --local shop")
        let port = LocalProblem(Self.subject, "port 80/tcp cannot be published", hint: "set another hostPort", remedy: .withoutPublishing)
        #expect(LocalAdvice.hint(port) == "set another hostPort, or leave out --publish")
        let podman = LocalProblem("", "podman is not installed", hint: "install it", remedy: .renderInstead)
        #expect(LocalAdvice.hint(podman) == "install it, or render without it: tandem render FILE")
        let plain = LocalProblem(Self.subject, "no remedy", hint: "just this")
        #expect(LocalAdvice.hint(plain) == "just this")
    }
}
