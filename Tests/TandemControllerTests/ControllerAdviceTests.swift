import KubeClient
import KubeModel
@testable import TandemController
import TandemDeploy
import Testing

/// The controller's advice speaks to an Application's owner: what to change in the Application
/// or do with kubectl, never a command-line flag, never "run up again" (it retries by itself).
@Suite struct ControllerAdviceTests {
    static let deployment = ObjectReference(gvk: .deployment, namespace: "shop", name: "web")
    static let conflict = KubeError.api(request: "PATCH /apis/apps/v1/namespaces/shop/deployments/web", status: APIStatus(
        code: 409, reason: "Conflict", message: "Apply failed with 1 conflict",
        causes: [.init(reason: "FieldManagerConflict", message: #"conflict with "kubectl-edit" using apps/v1"#, field: ".spec.replicas")]))

    @Test func everyStopHasAdviceForTheApplicationsOwner() {
        let errors: [DeployError] = [
            .parentOfAnotherTool(ObjectReference(gvk: ApplicationKey.gvk, namespace: "shop", name: "shop"), tooling: "kubectl/v1.30"),
            .foreignObjects([.init(object: "component 'web' (deployment.apps/web)", owner: "not part of any ApplySet", applySet: nil)]),
            .rejected([(object: "component 'web' (deployment.apps/web)", error: Self.conflict)]),
            .partiallyApplied(applied: [], failed: [(object: "component 'web' (deployment.apps/web)", error: Self.conflict)], notAttempted: []),
            .pruneFailed([(reference: Self.deployment, error: Self.conflict)]),
            .definitionsNotEstablished(applied: [], waiting: [(name: "widgets.example.com", reason: "Install in progress")], notAttempted: []),
        ]
        for error in errors {
            let message = ControllerAdvice.message(error)
            #expect(message.contains("\n  hint: "), "\(message)")
            #expect(!message.contains("--") && !message.contains("run up") && !message.contains("tandem up"), "\(message)")
        }
        #expect(ControllerAdvice.hint(errors[2]) == "another field manager owns these fields: stop setting them in the Application, "
            + "or have that manager release them")
        #expect(errors[2].conflictingManagers == ["kubectl-edit"])
    }
}
