import Foundation
import KubeModel
import TandemJSON
import TandemRendering
import Testing
@testable import TandemWorkflow

/// KubeVela's own workflow examples (Fixtures/), run to their end as KubeVela's documentation
/// says they end.
@Suite struct WorkflowDocumentationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The example as written, with a receiver's URL in place of its placeholder URLs.
    static func example(_ name: String, receiver: HTTPReceiver? = nil) throws -> String {
        var text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        if let receiver {
            for placeholder in ["<your slack webhook url>", "<your slack url>"] {
                text = text.replacingOccurrences(of: placeholder, with: "\(receiver.url)/slack")
            }
        }
        return text
    }

    @Test func ifTimeoutRunsTheSecondSuspendOnlyBecauseTheFirstTimedOut() async throws {
        let receiver = try await HTTPReceiver.start()
        defer { Task { try? await receiver.shutdown() } }
        let run = try await WorkflowHarness(Self.example("if-timeout.yaml", receiver: receiver))
        defer { Task { await run.shutdown() } }
        var status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.step("suspend")?.phase == .suspending)
        #expect(status.nextCheck == start.addingTimeInterval(5))
        status = try await run.advance(status, at: start.addingTimeInterval(5))
        #expect(status.step("suspend")?.reason == "Timeout")
        #expect(status.step("suspend2")?.phase == .suspending)
        status = try await run.advance(status, at: start.addingTimeInterval(10))
        #expect(status.step("suspend2")?.reason == "Timeout")
        // `suspend.timeout` names no step status (KubeVela's example has it so): the step is skipped.
        #expect(status.step("notification-1")?.phase == .skipped)
        #expect(status.step("notification-1")?.message?.hasPrefix("if: 'suspend.timeout' cannot be decided") == true)
        #expect(status.step("notification-2")?.phase == .skipped)
        #expect(status.phase == .terminated)
        #expect(receiver.received.isEmpty)
    }

    @Test func ifInputSendsTheOutputOfTheResumedSuspend() async throws {
        let receiver = try await HTTPReceiver.start()
        defer { Task { try? await receiver.shutdown() } }
        let run = try await WorkflowHarness(Self.example("if-input.yaml", receiver: receiver))
        defer { Task { await run.shutdown() } }
        var status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.step("suspend")?.phase == .suspending)
        try status.resume(step: "suspend")
        status = try await run.advance(status, at: start.addingTimeInterval(2))
        #expect(status.phase == .succeeded, "\(status.json)")
        #expect(status.outputs[path: ["suspend", "test"]] == "if-input message")
        #expect(try JSONReader().read(try #require(receiver.received.first).body)["text"] == "if-input message")
    }

    @Test func appWithTimeoutEndsTerminatedWithTheSuspendTimedOut() async throws {
        let run = try await WorkflowHarness(Self.example("app-with-timeout.yaml"))
        defer { Task { await run.shutdown() } }
        var status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.step("apply")?.phase == .succeeded)
        status = try await run.advance(status, at: start.addingTimeInterval(5))
        #expect(status.applicationStatus == "workflowTerminated")
        #expect(status.json["terminated"] == true)
        #expect(status.json["finished"] == true)
        #expect(status.json["suspend"] == false)
        #expect(status.steps.map(\.phase) == [.succeeded, .failed])
        #expect(status.step("suspend")?.reason == "Timeout")
        #expect(status.step("suspend")?.firstExecuteTime == start)
        #expect(status.step("suspend")?.lastExecuteTime == start)
        #expect(await run.object("apps/v1", "Deployment", "comp")?[path: ["spec", "replicas"]] == 10)
    }

    @Test(arguments: ["step-group-app.yaml", "step-group-example.yaml"])
    func stepGroupExamplesDeployEveryComponent(_ name: String) async throws {
        let run = try await WorkflowHarness(Self.example(name))
        defer { Task { await run.shutdown() } }
        let status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.phase == .succeeded)
        #expect(status.steps.count == 1)
        #expect(status.steps[0].subSteps.allSatisfy { $0.phase == .succeeded })
        for component in run.application.components {
            #expect(await run.object("apps/v1", "Deployment", component.name) != nil)
        }
    }

    @Test func applyObjectCreatesTheClaimBeforeTheServer() async throws {
        let run = try await WorkflowHarness(Self.example("apply-object.yaml"))
        defer { Task { await run.shutdown() } }
        let status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.phase == .succeeded, "\(status.json)")
        #expect(await run.object("v1", "PersistentVolumeClaim", "myclaim")?[path: ["spec", "storageClassName"]] == "standard")
        #expect(await run.object("apps/v1", "Deployment", "express-server") != nil)
    }

    @Test func errWithNoIfSkipsTheComponentAfterTheBadObject() async throws {
        let run = try await WorkflowHarness(Self.example("err-with-no-if.yaml"))
        defer { Task { await run.shutdown() } }
        let status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.step("apply-err")?.phase == .failed)
        #expect(status.step("apply-err")?.message == "cannot apply the object: the object has no apiVersion")
        #expect(status.step("apply-comp")?.phase == .skipped)
        #expect(status.applicationStatus == "workflowTerminated")
        #expect(run.board.delivered.isEmpty)
    }

    @Test func inputOutputSendsTheOtherApplicationsWorkflowMessage() async throws {
        let receiver = try await HTTPReceiver.start()
        defer { Task { try? await receiver.shutdown() } }
        let run = try await WorkflowHarness(Self.example("input-output.yaml", receiver: receiver)) { client in
            try await client.establish(WorkflowStepTests.applicationCRD)
        }
        defer { Task { await run.shutdown() } }
        try await run.server.insert(["apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
                                     "metadata": ["name": "depends", "namespace": "default"],
                                     "status": ["status": "running", "workflow": ["message": "depends is deployed"]]])
        let status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.phase == .succeeded, "\(status.json)")
        #expect(try JSONReader().read(try #require(receiver.received.first).body)["text"] == "depends is deployed")
    }

    @Test func readObjectIsRefusedForInputsIntoPropertiesTheStepDoesNotHave() throws {
        let rendered = RenderPipeline().render([SourceFile(name: "read-object.yaml", text: try Self.example("read-object.yaml"))])
        #expect(rendered.diagnostics.filter(\.isError).map(\.description) == [
            "read-object.yaml:30:25: error: workflow.steps[1].inputs[0].parameterKey: the apply-component step has no property 'cpu' for input 'cpu' to fill\n  hint: name one of its properties: tandem show apply-component lists them",
            "read-object.yaml:32:25: error: workflow.steps[1].inputs[1].parameterKey: the apply-component step has no property 'memory' for input 'memory' to fill\n  hint: name one of its properties: tandem show apply-component lists them",
        ])
    }
}
