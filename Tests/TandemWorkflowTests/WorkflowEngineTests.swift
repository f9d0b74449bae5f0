import Foundation
import TandemJSON
import Testing
@testable import TandemWorkflow

/// The engine over the API test server: order, gates, suspend and resume, conditions,
/// timeouts, failures, inputs and outputs, as KubeVela runs them.
@Suite struct WorkflowEngineTests {
    static let stagingThenProduction = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: shop, namespace: default}
        spec:
          components:
            - name: web
              type: webservice
              properties: {image: shop/web:1}
          policies:
            - name: staging
              type: topology
              properties: {clusters: [local], namespace: staging}
            - name: production
              type: topology
              properties: {clusters: [local], namespace: production}
          workflow:
            steps:
              - name: deploy-staging
                type: deploy
                properties: {policies: [staging]}
              - name: approval
                type: suspend
                properties: {message: "Approve the release to production"}
              - name: deploy-production
                type: deploy
                properties: {policies: [production]}
        """

    @Test func stagingWaitsForItsGateThenTheApprovalThenProductionRuns() async throws {
        let run = try await WorkflowHarness(Self.stagingThenProduction)
        defer { Task { await run.shutdown() } }
        for namespace in ["staging", "production"] {
            _ = try await run.host.providers.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
        }
        run.board.set(.waiting("Deployment web: 0 of 1 replicas available"), for: "deploy-staging")

        var status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.phase == .executing)
        #expect(status.applicationStatus == "runningWorkflow")
        #expect(status.step("deploy-staging")?.phase == .running)
        #expect(status.step("deploy-staging")?.reason == "Wait")
        #expect(status.step("deploy-staging")?.message == "Deployment web: 0 of 1 replicas available")
        #expect(status.step("approval")?.phase == .pending)
        #expect(status.nextCheck != nil)
        #expect(await run.object("apps/v1", "Deployment", "web", namespace: "staging") != nil)
        #expect(await run.object("apps/v1", "Deployment", "web", namespace: "production") == nil)

        run.board.set(.ready, for: "deploy-staging")
        status = try await run.advance(status, at: start.addingTimeInterval(5))
        #expect(status.step("deploy-staging")?.phase == .succeeded)
        #expect(status.step("approval")?.phase == .suspending)
        #expect(status.step("approval")?.message == "Approve the release to production")
        #expect(status.phase == .suspending)
        #expect(status.applicationStatus == "workflowSuspending")
        #expect(status.json["suspend"] == true)
        #expect(status.json["suspendState"] == "suspending")
        #expect(await run.object("apps/v1", "Deployment", "web", namespace: "production") == nil)

        // Calling again changes nothing: still suspended, and the same status.
        let again = try await run.advance(status, at: start.addingTimeInterval(60))
        #expect(again == status)

        #expect(throws: WorkflowError("step 'deploy-staging' is not suspended (it is succeeded)")) {
            try status.resume(step: "deploy-staging")
        }
        try status.resume(step: "approval")
        status = try await run.advance(status, at: start.addingTimeInterval(70))
        #expect(status.phase == .succeeded)
        #expect(status.applicationStatus == nil)
        #expect(status.json["finished"] == true)
        #expect(status.json["mode"] == "StepByStep-DAG")
        #expect(status.steps.map(\.phase) == [.succeeded, .succeeded, .succeeded])
        #expect(await run.object("apps/v1", "Deployment", "web", namespace: "production") != nil)
        #expect(run.board.delivered == ["deploy-staging", "deploy-staging", "deploy-production"])
        #expect(run.events.contains(.suspended(step: "approval", message: "Approve the release to production")))
        #expect(run.events.last == .finished(.succeeded))

        // A finished workflow is left as it is: no delivery, no change.
        let resync = try await run.advance(status, at: start.addingTimeInterval(600))
        #expect(resync == status)
        #expect(run.board.delivered.count == 3)
    }

    static func components(_ names: [String]) -> String {
        names.map { "    - name: \($0)\n      type: worker\n      properties: {image: shop/\($0):1}\n" }.joined()
    }

    static func application(components: [String], workflow: String) -> String {
        """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: shop, namespace: default}
        spec:
          components:
        \(Self.components(components))  workflow:
        \(workflow)
        """
    }

    @Test func dagRunsStepsWhoseDependenciesAreDoneAndHoldsTheOthers() async throws {
        let yaml = Self.application(components: ["a", "b", "c"], workflow: """
                mode: {steps: DAG}
                steps:
                  - {name: a, type: apply-component, properties: {component: a}}
                  - {name: b, type: apply-component, properties: {component: b}, dependsOn: [a]}
                  - {name: c, type: apply-component, properties: {component: c}}
            """)
        let run = try await WorkflowHarness(yaml)
        defer { Task { await run.shutdown() } }
        run.board.set(.waiting("a is not ready"), for: "a")
        var status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.json["mode"] == "DAG-DAG")
        #expect(status.step("a")?.phase == .running)
        #expect(status.step("b")?.phase == .pending)
        #expect(status.step("b")?.message == "Pending on DependsOn: a")
        #expect(status.step("c")?.phase == .succeeded)
        run.board.set(.ready, for: "a")
        status = try await run.advance(status, at: start.addingTimeInterval(2))
        #expect(status.phase == .succeeded)
        #expect(Set(run.board.delivered) == ["a", "b", "c"])
        #expect(run.board.delivered.last == "b")
    }

    @Test func aStepGroupRunsItsSubStepsTogetherAndEndsWhenTheyAllHave() async throws {
        let yaml = Self.application(components: ["a", "b", "c"], workflow: """
                steps:
                  - name: together
                    type: step-group
                    subSteps:
                      - {name: a, type: apply-component, properties: {component: a}}
                      - {name: b, type: apply-component, properties: {component: b}}
                  - {name: c, type: apply-component, properties: {component: c}}
            """)
        let run = try await WorkflowHarness(yaml)
        defer { Task { await run.shutdown() } }
        run.board.set(.waiting("b is starting"), for: "b")
        var status = try await run.advance(WorkflowStatus(), at: start)
        #expect(Set(run.board.delivered) == ["a", "b"])
        #expect(status.step("together")?.phase == .running)
        #expect(status.steps[0].subSteps.map(\.phase) == [.succeeded, .running])
        #expect(status.step("c")?.phase == .pending)
        #expect(status.json[path: ["steps"]]?.array?.first?["subSteps"]?.array?.count == 2)
        run.board.set(.ready, for: "b")
        status = try await run.advance(status, at: start.addingTimeInterval(2))
        #expect(status.phase == .succeeded)
        #expect(status.step("together")?.phase == .succeeded)
        #expect(run.board.delivered.last == "c")
    }

    @Test func aFailedStepSkipsTheRestButNotAlwaysOrConditionalSteps() async throws {
        let yaml = Self.application(components: ["a", "b"], workflow: """
                steps:
                  - {name: a, type: apply-component, properties: {component: a}}
                  - {name: b, type: apply-component, properties: {component: b}}
                  - {name: report, type: print-message-in-status, properties: {message: "a failed"}, if: 'status.a.phase == "failed"'}
                  - {name: not-this, type: print-message-in-status, properties: {message: "a succeeded"}, if: status.a.succeeded}
                  - {name: finally, type: print-message-in-status, properties: {message: done}, if: always}
            """)
        let run = try await WorkflowHarness(yaml)
        defer { Task { await run.shutdown() } }
        run.board.set(.failed("container web is crash-looping"), for: "a")
        let status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.phase == .terminated)
        #expect(status.applicationStatus == "workflowTerminated")
        #expect(status.json["terminated"] == true)
        #expect(status.json["finished"] == true)
        #expect(status.message == "step 'a' failed: container web is crash-looping")
        #expect(status.step("a")?.phase == .failed)
        #expect(status.step("a")?.reason == "Action")
        #expect(status.step("b")?.phase == .skipped)
        #expect(status.step("b")?.reason == "Skip")
        #expect(status.step("report")?.phase == .succeeded)
        #expect(status.step("report")?.message == "a failed")
        #expect(status.step("not-this")?.phase == .skipped)
        #expect(status.step("finally")?.phase == .succeeded)
        #expect(run.board.delivered == ["a"])
        #expect(run.events.contains(.failed(step: "a", message: "container web is crash-looping")))
        #expect(run.events.contains(.skipped(step: "b")))
    }

    @Test func aStepThatOutlivesItsTimeoutFailsWithReasonTimeout() async throws {
        let yaml = Self.application(components: ["a", "b"], workflow: """
                steps:
                  - {name: a, type: apply-component, properties: {component: a}, timeout: 1m}
                  - {name: b, type: apply-component, properties: {component: b}}
            """)
        let run = try await WorkflowHarness(yaml)
        defer { Task { await run.shutdown() } }
        run.board.set(.waiting("never ready"), for: "a")
        var status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.step("a")?.phase == .running)
        #expect(status.nextCheck.map { $0 <= start.addingTimeInterval(60) } == true)
        status = try await run.advance(status, at: start.addingTimeInterval(30))
        #expect(status.step("a")?.phase == .running)
        status = try await run.advance(status, at: start.addingTimeInterval(60))
        #expect(status.step("a")?.phase == .failed)
        #expect(status.step("a")?.reason == "Timeout")
        #expect(status.step("a")?.message == "the step did not finish within its timeout of 1m")
        #expect(status.step("b")?.phase == .skipped)
        #expect(status.phase == .terminated)
        #expect(status.message?.contains("step 'a' failed") == true)
    }

    @Test func aSuspendWithADurationResumesByItself() async throws {
        let yaml = Self.application(components: ["a"], workflow: """
                steps:
                  - {name: pause, type: suspend, properties: {duration: 30s}}
                  - {name: a, type: apply-component, properties: {component: a}}
            """)
        let run = try await WorkflowHarness(yaml)
        defer { Task { await run.shutdown() } }
        var status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.step("pause")?.phase == .suspending)
        #expect(status.nextCheck == start.addingTimeInterval(30))
        status = try await run.advance(status, at: start.addingTimeInterval(29))
        #expect(status.phase == .suspending)
        #expect(run.board.delivered.isEmpty)
        status = try await run.advance(status, at: start.addingTimeInterval(30))
        #expect(status.phase == .succeeded)
        #expect(run.board.delivered == ["a"])
    }

    @Test func suspendResumeAndTerminateByCommand() async throws {
        let yaml = Self.application(components: ["a", "b"], workflow: """
                steps:
                  - {name: a, type: apply-component, properties: {component: a}}
                  - {name: b, type: apply-component, properties: {component: b}}
            """)
        let run = try await WorkflowHarness(yaml)
        defer { Task { await run.shutdown() } }
        run.board.set(.waiting("not yet"), for: "a")
        var status = try await run.advance(WorkflowStatus(), at: start)
        status.suspend()
        run.board.set(.ready, for: "a")
        status = try await run.advance(status, at: start.addingTimeInterval(1))
        #expect(status.phase == .suspending)
        #expect(status.json["suspendState"] == "manual")
        #expect(run.board.delivered == ["a"])
        try status.resume(step: nil)
        status = try await run.advance(status, at: start.addingTimeInterval(2))
        #expect(status.step("a")?.phase == .succeeded)
        #expect(status.phase == .succeeded)

        let second = try await WorkflowHarness(yaml)
        defer { Task { await second.shutdown() } }
        second.board.set(.waiting("not yet"), for: "a")
        var stopped = try await second.advance(WorkflowStatus(), at: start)
        #expect(throws: WorkflowError("the workflow is not suspended")) { try stopped.resume(step: nil) }
        stopped.terminate()
        #expect(stopped.phase == .terminated)
        #expect(stopped.applicationStatus == "workflowTerminated")
        #expect(stopped.step("a")?.phase == .failed)
        #expect(stopped.step("a")?.reason == "Terminate")
        second.board.set(.ready, for: "a")
        let after = try await second.advance(stopped, at: start.addingTimeInterval(5))
        #expect(after == stopped)
        #expect(second.board.delivered == ["a"])
    }

    @Test func aDeliveryErrorIsRetriedWithBackOffThenFailsAfterTheRetries() async throws {
        let yaml = Self.application(components: ["a"], workflow: """
                steps:
                  - {name: a, type: apply-component, properties: {component: a}}
            """)
        let run = try await WorkflowHarness(yaml)
        defer { Task { await run.shutdown() } }
        run.board.fail("a", with: "the API server is unreachable")
        var status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.step("a")?.phase == .failed)
        #expect(status.step("a")?.reason == "Execute")
        #expect(status.phase == .executing)
        #expect(status.nextCheck == start.addingTimeInterval(1))
        // Before the back-off: not tried.
        var now = start.addingTimeInterval(0.5)
        let early = try await run.advance(status, at: now)
        #expect(early.context == status.context)
        for _ in 2...WorkflowEngine.maxFailedTimes {
            now = try #require(status.nextCheck)
            status = try await run.advance(status, at: now)
        }
        #expect(status.step("a")?.reason == "FailedAfterRetries")
        #expect(status.phase == .terminated)
        #expect(status.step("a")?.message == "the API server is unreachable (failed 10 times)")
    }

    @Test func aStepGroupsTimeoutFailsItsUnfinishedSubSteps() async throws {
        let yaml = Self.application(components: ["a", "b"], workflow: """
                steps:
                  - name: together
                    type: step-group
                    timeout: 30s
                    subSteps:
                      - {name: a, type: apply-component, properties: {component: a}}
                      - {name: b, type: apply-component, properties: {component: b}}
            """)
        let run = try await WorkflowHarness(yaml)
        defer { Task { await run.shutdown() } }
        run.board.set(.waiting("b is starting"), for: "b")
        var status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.step("together")?.phase == .running)
        status = try await run.advance(status, at: start.addingTimeInterval(30))
        #expect(status.step("together")?.reason == "Timeout")
        #expect(status.step("a")?.phase == .succeeded)
        #expect(status.step("b")?.reason == "Timeout")
        #expect(status.phase == .terminated)
    }

    @Test func aStepWaitsPendingForAnInputThatAStepMayStillOutput() async throws {
        let yaml = Self.application(components: ["a"], workflow: """
                mode: {steps: DAG}
                steps:
                  - name: approve
                    type: suspend
                    outputs: [{name: approver, valueFrom: context.name}]
                  - name: tell
                    type: print-message-in-status
                    properties: {message: nobody}
                    inputs: [{from: approver, parameterKey: message}]
                  - {name: a, type: apply-component, properties: {component: a}}
            """)
        let run = try await WorkflowHarness(yaml)
        defer { Task { await run.shutdown() } }
        var status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.step("tell")?.phase == .pending)
        #expect(status.step("tell")?.message == "Pending on Input: approver")
        #expect(status.step("a")?.phase == .succeeded)
        try status.resume(step: "approve")
        status = try await run.advance(status, at: start.addingTimeInterval(1))
        #expect(status.step("tell")?.message == "shop")
        #expect(status.phase == .succeeded)

        // Once the only step that outputs it ended without, the input can never come: the step fails.
        var terminated = try await run.advance(WorkflowStatus(), at: start)
        terminated.steps[0].phase = .skipped
        terminated = try await run.advance(terminated, at: start.addingTimeInterval(1))
        #expect(terminated.step("tell")?.reason == "Input")
        #expect(terminated.step("tell")?.message == "no step has output 'approver'")
    }

    @Test func aSuspendInAStepGroupIsResumedAndEndsByItsDuration() async throws {
        let yaml = Self.application(components: ["a", "b"], workflow: """
                steps:
                  - name: group
                    type: step-group
                    subSteps:
                      - {name: approve, type: suspend}
                      - {name: pause, type: suspend, properties: {duration: 10s}}
                  - {name: a, type: apply-component, properties: {component: a}}
                  - name: skipped-group
                    type: step-group
                    if: status.a.failed
                    subSteps:
                      - {name: b, type: apply-component, properties: {component: b}}
            """)
        let run = try await WorkflowHarness(yaml)
        defer { Task { await run.shutdown() } }
        var status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.step("group")?.phase == .suspending)
        #expect(status.nextCheck == start.addingTimeInterval(10))
        try status.resume(step: "approve")
        status = try await run.advance(status, at: start.addingTimeInterval(1))
        #expect(status.step("approve")?.phase == .succeeded)
        #expect(status.step("pause")?.phase == .suspending)
        status = try await run.advance(status, at: start.addingTimeInterval(10))
        #expect(status.step("group")?.phase == .succeeded)
        #expect(status.step("skipped-group")?.phase == .skipped)
        #expect(status.step("b")?.phase == .skipped)
        #expect(status.phase == .succeeded)
        #expect(run.board.delivered == ["a"])
    }
}
