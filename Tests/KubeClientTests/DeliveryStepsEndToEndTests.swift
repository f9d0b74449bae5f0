import Foundation
import KubeClient
import TandemTestSupport
import Testing

/// `tandem up` delivers an application with several delivery steps one step at a time: a step's
/// objects are applied only once the step before is healthy, and pruning waits for the last.
@Suite(.serialized) struct DeliveryStepsEndToEndTests {
    static func application(firstCommand: String) -> String {
        """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: steps}
        spec:
          components:
            - name: backend
              type: worker
              properties: {image: busybox:1.36, cmd: ["sh", "-c", "\(firstCommand)"]}
            - name: frontend
              type: worker
              properties: {image: busybox:1.36, cmd: ["sleep", "3600"]}
          workflow:
            steps:
              - name: apply-backend
                type: apply-component
                properties: {component: backend}
              - name: apply-frontend
                type: apply-component
                properties: {component: frontend}
        """
    }

    @Test func theSecondStepStartsOnceTheFirstIsHealthy() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("steps.yaml", Self.application(firstCommand: "sleep 3600"))
        let up = try await cluster.tandem(["up", file, "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        let lines = up.stdout.split(separator: "\n").map(String.init)
        let ready = try #require(lines.firstIndex { $0.contains("step apply-backend is healthy") }, "\(up.stdout)")
        let second = try #require(lines.firstIndex { $0.contains("deployment.apps/frontend created") }, "\(up.stdout)")
        let first = try #require(lines.firstIndex { $0.contains("deployment.apps/backend created") }, "\(up.stdout)")
        #expect(first < ready && ready < second, "\(up.stdout)")
        #expect(up.stdout.contains("application steps is healthy (2 components)"), "\(up.stdout)")
    }

    @Test func aFailingStepStopsTheDeliveryBeforeTheNextStep() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("steps.yaml", Self.application(firstCommand: "exit 1"))
        let up = try await cluster.tandem(["up", file, "--timeout", "90s"])
        #expect(up.status == 2, "\(up.output)")
        #expect(up.stderr.contains("application steps failed at step apply-backend; later steps were not applied"), "\(up.stderr)")
        #expect(up.stderr.contains("CrashLoopBackOff"), "\(up.stderr)")
        let frontend = try await cluster.kubectl(["get", "deployment", "frontend", "-n", "default"])
        #expect(frontend.status != 0, "the second step's objects were applied: \(frontend.output)")
    }
}
