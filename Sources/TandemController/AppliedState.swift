import KubeModel
import Synchronization
import TandemJSON
import TandemDeploy

/// What the last successful apply of an Application was. While the Application stays the
/// same (its body: status and version aside), a pass only assesses health and writes status
/// from this, without rendering it again: most passes come from its pods and workload moving.
struct AppliedState: Sendable {
    /// The digest of the Application's body it was rendered from.
    var body: [UInt8]
    /// The digest of everything applied.
    var plan: String
    var inventory: Inventory
    /// The kinds of its ApplySet's members.
    var kinds: Set<GroupKind>
    /// Each component's traits and the containers they add, for `status.services[].traits`.
    var traits: [String: [ApplicationStatus.Trait]]
    /// `status.latestRevision` of the revision applied.
    var latestRevision: JSONValue? = nil
    /// The `status.workflow` of a workflow that succeeded for this body, kept in the status.
    var workflow: JSONValue? = nil
}

/// The applied state of each Application, shared by the workers.
final class AppliedStates: Sendable {
    private let states = Mutex<[ApplicationKey: AppliedState]>([:])

    func withLock<Result>(_ body: (inout [ApplicationKey: AppliedState]) -> Result) -> Result {
        states.withLock { body(&$0) }
    }
}
