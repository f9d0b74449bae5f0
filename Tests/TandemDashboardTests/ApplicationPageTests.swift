import TandemJSON
import Testing
@testable import TandemDashboard

/// What an application's page says, as JSON, from the held copies of its objects.
@Suite struct ApplicationPageTests {
    /// An old readiness warning is not a problem of a healthy application: it stays in the
    /// events list, and the header shows none.
    @Test func aHealthyApplicationShowsNoWarningInItsHeader() throws {
        let healthy = PageFixture(ready: true).json
        #expect(healthy["health"]?.string == "healthy")
        #expect(healthy["warnings"]?.array == [])
        #expect(healthy["events"]?.array?.count == 1)

        let unhealthy = PageFixture(ready: false).json
        #expect(unhealthy["health"]?.string == "progressing")
        let warning = try #require(unhealthy["warnings"]?.array?.first?.string)
        #expect(warning.hasPrefix("pod/web-1: Unhealthy: Readiness probe failed"))
    }

    /// Resume only while the workflow is suspended, Terminate while it runs or is suspended,
    /// neither without a workflow or once it has ended.
    @Test func theWorkflowActionsFollowTheWorkflowsPhase() {
        func actions(_ workflow: JSONValue?) -> [String] {
            PageFixture(workflow: workflow).json["actions"]?.array?.compactMap(\.string) ?? ["missing"]
        }
        #expect(actions(nil) == [])
        #expect(actions(["status": "suspending", "suspend": true]) == ["resume", "terminate"])
        #expect(actions(["status": "executing"]) == ["terminate"])
        #expect(actions(["status": "succeeded"]) == [])
        #expect(actions(["status": "terminated"]) == [])
    }

    /// A pod's node says its phase and how many of its containers are ready, not "pod · pod".
    @Test func aPodSaysItsPhaseAndReadyCount() {
        let ready = PageFixture(ready: true).podJSON
        #expect(ready?["phase"]?.string == "Running")
        #expect(ready?["ready"]?.string == "2/2")
        let starting = PageFixture(ready: false, podPhase: "Pending").podJSON
        #expect(starting?["phase"]?.string == "Pending")
        #expect(starting?["ready"]?.string == "1/2")
        // Without the live pod (a local run), its running containers tell the phase.
        #expect(PageFixture(livePod: false).podJSON?["phase"]?.string == "Running")
    }
}
