import Foundation
import KubeClient
import TandemTestSupport
import Testing

/// `tandem up` delivers an application with several delivery steps (and no workflow) one step at a time: a step's
/// objects are applied only once the step before is healthy, and pruning waits for the last.
@Suite(.serialized) struct DeliveryStepsEndToEndTests {
    /// Without a workflow, one delivery step per topology policy, as KubeVela makes them up.
    static func application(command: String) -> String {
        """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: steps}
        spec:
          components:
            - name: backend
              type: worker
              properties: {image: busybox:1.36, cmd: ["sh", "-c", "\(command)"]}
          policies:
            - {name: first, type: topology, properties: {clusters: [local], namespace: first}}
            - {name: second, type: topology, properties: {clusters: [local], namespace: second}}
        """
    }

    static func start() async throws -> TestCluster {
        let cluster = try TestCluster()
        for namespace in ["first", "second"] {
            let created = try await cluster.kubectl(["create", "namespace", namespace])
            try #require(created.status == 0, "\(created.output)")
        }
        return cluster
    }

    @Test func theSecondStepStartsOnceTheFirstIsHealthy() async throws {
        let cluster = try await Self.start()
        let file = try cluster.file("steps.yaml", Self.application(command: "sleep 3600"))
        let up = try await cluster.tandem(["up", file, "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        let lines = up.stdout.split(separator: "\n").map(String.init)
        let first = try #require(lines.firstIndex { $0.contains("step first") }, "\(up.stdout)")
        let ready = try #require(lines.firstIndex { $0.contains("step first is healthy") }, "\(up.stdout)")
        let second = try #require(lines.firstIndex { $0.contains("step second") }, "\(up.stdout)")
        #expect(first < ready && ready < second, "\(up.stdout)")
        #expect(up.stdout.contains("application steps is healthy (2 components)"), "\(up.stdout)")
    }

    @Test func aFailingStepStopsTheDeliveryBeforeTheNextStep() async throws {
        let cluster = try await Self.start()
        let file = try cluster.file("steps.yaml", Self.application(command: "exit 1"))
        let up = try await cluster.tandem(["up", file, "--timeout", "90s"])
        #expect(up.status == 2, "\(up.output)")
        #expect(up.stderr.contains("application steps failed at step first; later steps were not applied"), "\(up.stderr)")
        #expect(up.stderr.contains("CrashLoopBackOff"), "\(up.stderr)")
        let second = try await cluster.kubectl(["get", "deployment", "backend", "-n", "second"])
        #expect(second.status != 0, "the second step's objects were applied: \(second.output)")
    }
}
