import KubeClient
import KubeModel
@testable import TandemCLI
import TandemDeploy
import Testing

/// A deploy that stops is described as facts by the library; `tandem up` adds its own advice,
/// in its flags.
@Suite struct DeployAdviceTests {
    static let deployment = ObjectReference(gvk: .deployment, namespace: "shop", name: "web")
    static let conflict = KubeError.api(request: "PATCH /apis/apps/v1/namespaces/shop/deployments/web",
                                        status: APIStatus(code: 409, reason: "Conflict", message: "Apply failed with 1 conflict"))
    static let errors: [DeployError] = [
        .parentOfAnotherTool(ObjectReference(gvk: .secret, namespace: "shop", name: "applyset-shop"), tooling: "kubectl/v1.30"),
        .foreignObjects([.init(object: "app.yaml:8:11: component 'web' (deployment.apps/web)", owner: "not part of any ApplySet", applySet: nil)]),
        .rejected([(object: "component 'web' (deployment.apps/web)", error: conflict)]),
        .partiallyApplied(applied: [ObjectReference(gvk: .configMap, namespace: "shop", name: "settings")],
                          failed: [(object: "component 'web' (deployment.apps/web)", error: conflict)], notAttempted: [deployment]),
        .pruneFailed([(reference: deployment, error: conflict)]),
        .definitionsNotEstablished(applied: [], waiting: [(name: "widgets.example.com", reason: "Install in progress")],
                                   notAttempted: [ObjectReference(gvk: GroupVersionKind(group: "example.com", version: "v1", kind: "Widget"),
                                                                  namespace: "shop", name: "blue")]),
    ]

    @Test func theLibrarySaysNothingOfCommandLineFlags() {
        for error in Self.errors {
            #expect(!error.description.contains("--"), "\(error.description)")
            #expect(!error.description.contains("run up"), "\(error.description)")
        }
    }

    @Test func upSaysWhichFlagHelps() {
        let messages = Self.errors.map(DeployAdvice.message)
        #expect(messages[0].hasSuffix("hint: pass --take-over to manage the set with tandem from now on"))
        #expect(messages[1].contains("nothing was applied:\n  app.yaml:8:11: component 'web' (deployment.apps/web): exists and is not part of any ApplySet"))
        #expect(messages[1].hasSuffix("hint: rename the component or trait that makes it, delete it, or pass --take-over to adopt it into this application"))
        #expect(messages[2].hasSuffix("hint: another manager owns these fields; pass --force-conflicts to take them, or stop setting them"))
        #expect(messages[3].contains("applied: configmap/settings\n  not applied: deployment.apps/web\n  nothing was pruned\n  hint: run up again once the cause is fixed"))
        #expect(messages[4].hasSuffix("hint: run up again to prune what is left"))
        #expect(messages[5].hasSuffix("""
            customresourcedefinition/widgets.example.com: Install in progress
              not applied: widget.example.com/blue
              nothing was pruned
              hint: see why with kubectl describe customresourcedefinition widgets.example.com, then run up again
            """))
    }
}
