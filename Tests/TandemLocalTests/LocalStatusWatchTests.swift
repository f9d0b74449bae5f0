import Foundation
import TandemTestSupport
import Testing

/// `status --local --watch` on the real podman: drawn again as the supervisor's probe turns a
/// container ready, and as podman reports a container that died.
@Suite(.serialized, .enabled(if: LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason))
struct LocalStatusWatchTests {
    typealias Harness = LocalRuntimeHarness

    @Test func theWatchDrawsAgainWhenAContainerTurnsReadyAndWhenItDies() async throws {
        let harness = try Harness("d2-watch")
        defer { harness.cleanUp() }
        // Ready once /tmp/ready exists, which the test makes with exec.
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("d2-watch", """
                - name: api
                  type: webservice
                  properties:
                    image: busybox:1.36
                    cmd: ["sleep", "3600"]
                    readinessProbe:
                      exec: {command: ["test", "-f", "/tmp/ready"]}
                      periodSeconds: 1
            """))
        let up = try harness.tandem(["up", "--local", file, "-d", "--no-wait"])
        try #require(up.status == 0, "\(up.output)")

        let watch = try RunningProcess([Tandem.executable.path, "status", "--local", "d2-watch", "--tree", "--watch"],
                                       environment: harness.environment)
        #expect(watch.wait { $0.contains("api  running, not ready") }, "\(watch.output)\(watch.errors)")
        let ready = try harness.tandem(["exec", "--local", "d2-watch", "--", "touch", "/tmp/ready"])
        try #require(ready.status == 0, "\(ready.output)")
        #expect(watch.wait { $0.contains("api (webservice): healthy") && $0.contains("api  ready") }, "\(watch.output)\(watch.errors)")

        // The container's end, as podman reports it.
        let name = try harness.podman(["ps", "--filter", "label=io.tandem.local.app=d2-watch", "--filter", "label=io.tandem.local.container=api",
                                       "--format", "{{.Names}}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let stopped = try harness.podman(["kill", name])
        try #require(stopped.status == 0, "\(stopped.output)")
        let drawings = watch.output.components(separatedBy: "application d2-watch").count
        #expect(watch.wait { $0.components(separatedBy: "application d2-watch").count > drawings && $0.hasSuffix("\n") },
                "\(watch.output)\(watch.errors)")

        let down = try harness.tandem(["down", "--local", "d2-watch"])
        #expect(down.status == 0, "\(down.output)")
        #expect(watch.wait { $0.contains("application d2-watch is no longer running locally") }, "\(watch.output)\(watch.errors)")
        await watch.stop()
    }
}
