import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// Kubernetes' Job semantics, locally: a `restartPolicy: Never` pod that fails is replaced by a
/// new pod up to `backoffLimit` (never restarted in place, never CrashLoopBackOff); a completed
/// Job's native sidecar is Completed; status shows each container's last termination.
@Suite(.serialized, .enabled(if: LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason))
struct LocalJobTests {
    typealias Harness = LocalRuntimeHarness

    @Test func aFailedNeverPodIsReplacedByANewPodUpToTheBackoffLimit() throws {
        let harness = try Harness("e2e-job")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-job", """
                - name: once
                  type: k8s-objects
                  properties:
                    objects:
                      - apiVersion: batch/v1
                        kind: Job
                        metadata: {name: once}
                        spec:
                          backoffLimit: 1
                          template:
                            spec:
                              restartPolicy: Never
                              containers:
                                - {name: step, image: busybox:1.36, command: ["sh", "-c", "echo attempt; exit 1"]}
            """))
        let up = try harness.tandem(["up", "--local", file, "--no-wait"])
        try #require(up.status == 0, "\(up.output)")
        var status: JSONValue = .null
        let failed = try harness.eventually(60) {
            // Until the supervisor has written its first status, there is none to read.
            status = (try? harness.status()) ?? .null
            return status["components"]?.array?.first?["workload"]?["status"]?.string == "Failed"
        }
        #expect(failed, "\(status)")
        let containers = (status["components"]?.array ?? []).flatMap { $0["containers"]?.array ?? [] }
        #expect(containers.compactMap { $0["pod"]?.string }.sorted() == ["once-0", "once-0-retry-1"], "\(containers)")
        for container in containers {
            #expect(container["restarts"] == 0, "a failed pod is replaced, not restarted in place: \(container)")
            #expect(container["lastTermination"]?["reason"] == "Error", "\(container)")
            #expect(container["lastTermination"]?["exitCode"] == 1, "\(container)")
        }
        let text = try harness.tandem(["status", "--local", "e2e-job"])
        #expect(!text.stdout.contains("CrashLoopBackOff"), "\(text.stdout)")
        #expect(text.stdout.contains("Error, exit code 1, at "), "\(text.stdout)")
        #expect(text.stdout.contains("backoff limit"), "\(text.stdout)")
    }

    @Test func aCompletedJobsNativeSidecarIsCompletedNotError() throws {
        let harness = try Harness("e2e-jobsidecar")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-jobsidecar", """
                - name: migrate
                  type: task
                  properties:
                    image: busybox:1.36
                    cmd: ["sh", "-c", "echo migration done"]
                  traits:
                    - type: sidecar
                      properties:
                        name: proxy
                        image: busybox:1.36
                        cmd: ["sleep", "3600"]
            """))
        let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        let proxy = Harness.container(try harness.status(), "proxy")
        #expect(proxy?["state"] == "terminated", "\(String(describing: proxy))")
        #expect(proxy?["reason"] == "Completed", "\(String(describing: proxy))")
        #expect(proxy?["lastTermination"]?["reason"] == "Completed", "\(String(describing: proxy))")
    }
}
