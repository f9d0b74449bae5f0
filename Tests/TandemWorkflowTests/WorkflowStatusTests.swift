import Foundation
import Testing
@testable import TandemWorkflow

@Suite struct WorkflowStatusTests {
    @Test func statusReadsBackAsWritten() throws {
        var status = WorkflowStatus()
        status.phase = .suspending
        status.mode = "StepByStep-DAG"
        status.startTime = Date(timeIntervalSince1970: 1_800_000_000)
        status.steps = [StepStatus(id: "abcdefghij", name: "approve", type: "suspend", phase: .suspending, message: "Approve?",
                                   reason: "Suspend", firstExecuteTime: Date(timeIntervalSince1970: 1_800_000_001))]
        status.context = ["outputs": ["build": ["image": "shop:1"]]]
        let readBack = try WorkflowStatus(json: status.json, context: status.context)
        #expect(readBack == status)
        #expect(status.json["status"] == "suspending")
        #expect(status.json["suspend"] == true)
        #expect(status.applicationStatus == "workflowSuspending")
    }
}
