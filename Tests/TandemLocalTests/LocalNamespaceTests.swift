import Foundation
import TandemTestSupport
import Testing

/// Local applications are keyed by namespace and name, as in a cluster: `-n team-a` runs a
/// second copy beside the first, an application whose deploy steps deliver into two namespaces
/// runs in both, and status, logs and down take `-n`.
@Suite(.serialized, .enabled(if: LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason))
struct LocalNamespaceTests {
    typealias Harness = LocalRuntimeHarness

    static let worker = """
            - name: web
              type: worker
              properties:
                image: busybox:1.36
                cmd: ["sh", "-c", "echo serving; sleep 3600"]
        """

    @Test func aSecondCopyRunsInAnotherNamespaceAndEachIsStoppedAlone() throws {
        let harness = try Harness("e2e-copies")
        defer {
            _ = try? harness.tandem(["down", "--local", "e2e-copies", "-n", "team-a"])
            harness.cleanUp()
        }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-copies", Self.worker))
        let first = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        try #require(first.status == 0, "\(first.output)")
        let second = try harness.tandem(["up", "--local", file, "-n", "team-a", "-d", "--timeout", "60s"])
        try #require(second.status == 0, "\(second.output)")
        #expect(second.stdout.contains("tandem down --local e2e-copies -n team-a"), "\(second.stdout)")
        #expect(try harness.podman(["pod", "exists", "e2e-copies_web-0"]).status == 0)
        #expect(try harness.podman(["pod", "exists", "team-a_e2e-copies_web-0"]).status == 0)

        let status = try harness.tandem(["status", "--local", "e2e-copies", "-n", "team-a", "-o", "json"])
        #expect(status.status == 0, "\(status.output)")
        #expect(status.stdout.contains("\"namespace\": \"team-a\""), "\(status.stdout)")
        let logs = try harness.tandem(["logs", "--local", "e2e-copies", "-n", "team-a"])
        #expect(logs.stdout.contains("serving"), "\(logs.output)")

        let down = try harness.tandem(["down", "--local", "e2e-copies", "-n", "team-a"])
        #expect(down.status == 0, "\(down.output)")
        #expect(try harness.podman(["pod", "exists", "team-a_e2e-copies_web-0"]).status != 0)
        #expect(try harness.podman(["pod", "exists", "e2e-copies_web-0"]).status == 0, "the copy in default still runs")

        // Without a cluster, status of a local application says where it is; down needs no --local.
        let noCluster = harness.environment.merging(["KUBECONFIG": "", "HOME": harness.directory.path]) { _, new in new }
        let clusterStatus = try Tandem.run(["status", "e2e-copies"], environment: noCluster)
        #expect(clusterStatus.status == 2, "\(clusterStatus.output)")
        #expect(clusterStatus.stderr.contains("application e2e-copies runs locally: tandem status --local e2e-copies"), "\(clusterStatus.stderr)")
        let plainDown = try harness.tandem(["down", "e2e-copies"])
        #expect(plainDown.status == 0, "\(plainDown.output)")
        #expect(try harness.leftovers().isEmpty)
    }

    @Test func deployStepsIntoTwoNamespacesRunSideBySide() throws {
        let harness = try Harness("e2e-envs")
        defer {
            for namespace in ["envs-staging", "envs-production"] { _ = try? harness.tandem(["down", "e2e-envs", "-n", namespace]) }
            harness.cleanUp()
        }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-envs", Self.worker) + "\n" + """
              policies:
                - {name: staging, type: topology, properties: {clusters: [local], namespace: envs-staging}}
                - {name: production, type: topology, properties: {clusters: [local], namespace: envs-production}}
              workflow:
                steps:
                  - {name: staging, type: deploy, properties: {policies: [staging]}}
                  - {name: production, type: deploy, properties: {policies: [production]}}
            """)
        let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        for namespace in ["envs-staging", "envs-production"] {
            #expect(try harness.podman(["pod", "exists", "\(namespace)_e2e-envs_web-0"]).status == 0, "\(namespace)")
            let status = try harness.tandem(["status", "--local", "e2e-envs", "-n", namespace])
            #expect(status.status == 0, "\(status.output)")
        }
    }
}
