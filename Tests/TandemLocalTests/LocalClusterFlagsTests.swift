import Foundation
import TandemTestSupport
import Testing

/// `up --local` with the flags of a cluster deploy: `--dry-run` and `--no-wait` keep their
/// meaning on podman; every other one is refused, by name.
@Suite(.serialized, .enabled(if: LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason))
struct LocalClusterFlagsTests {
    typealias Harness = LocalRuntimeHarness

    static let neverReady = """
            - name: web
              type: worker
              properties:
                image: busybox:1.36
                cmd: ["sleep", "3600"]
              traits:
                - type: sidecar
                  properties:
                    name: gate
                    image: busybox:1.36
                    cmd: ["sleep", "3600"]
                    readinessProbe:
                      exec: {command: ["false"]}
                      periodSeconds: 1
        """

    @Test func dryRunPrintsWhatWouldBeCreatedAndCreatesNothing() throws {
        let harness = try Harness("e2e-dry")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-dry", Self.neverReady))
        let up = try harness.tandem(["up", "--local", file, "--dry-run=server"])
        #expect(up.status == 0, "\(up.output)")
        #expect(up.stdout.contains("nothing was created"), "\(up.stdout)")
        #expect(up.stdout.contains("pod e2e-dry_web-0"), "\(up.stdout)")
        #expect(up.stdout.contains("container e2e-dry_web-0_gate: sidecar 'gate', image busybox:1.36"), "\(up.stdout)")
        #expect(try harness.leftovers().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: harness.stateDirectory))
        #expect(harness.supervisors().isEmpty)
    }

    @Test func noWaitReturnsOnceCreatedWithoutWaitingForReady() throws {
        let harness = try Harness("e2e-nowait")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-nowait", Self.neverReady))
        // Never ready: without --no-wait this up would wait out its timeout and fail.
        let up = try harness.tandem(["up", "--local", file, "--no-wait", "--timeout", "10m"])
        #expect(up.status == 0, "\(up.output)")
        #expect(!up.stdout.contains("is ready"), "\(up.stdout)")
        #expect(try harness.podman(["pod", "exists", "e2e-nowait_web-0"]).status == 0)
        #expect(harness.supervisors().count == 1)
    }
}

/// Refused before anything is read or run: no podman needed.
@Suite struct LocalClusterOnlyFlagsTests {
    @Test(arguments: [["--take-over"], ["--force-conflicts"], ["--create-namespace"], ["--context", "staging"],
                      ["--kubeconfig", "/tmp/config"], ["--request-timeout", "5s"], ["--verbose"]])
    func aClusterOnlyFlagWithLocalIsAUsageErrorNamingIt(_ flag: [String]) throws {
        let result = try Tandem.run(["up", "--local", "app.yaml"] + flag)
        #expect(result.status == 64, "\(result.output)")
        #expect(result.stderr.contains("\(flag[0]) is for a cluster and does not go with --local"), "\(result.stderr)")
    }
}

/// The smaller promises of `up --local`: it says what it cannot do, where and why.
@Suite(.serialized, .enabled(if: LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason))
struct LocalMessagesTests {
    typealias Harness = LocalRuntimeHarness

    @Test func aWithFileThatCannotBeReadSaysWhy() throws {
        let harness = try Harness("e2e-withfile")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-withfile", LocalNamespaceTests.worker))
        let missing = harness.directory.appendingPathComponent("nosuch.yaml").path
        let up = try harness.tandem(["up", "--local", file, "--with", missing, "-d"])
        #expect(up.status == 2, "\(up.output)")
        #expect(up.stderr.contains("\(missing): cannot be read (--with): no such file or directory"), "\(up.stderr)")
    }

    @Test func aCronTaskWithoutRunCronjobsSaysSoAndStartsNothing() throws {
        let harness = try Harness("e2e-cron")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-cron", """
                - name: nightly
                  type: cron-task
                  properties:
                    image: busybox:1.36
                    schedule: "0 3 * * *"
                    cmd: ["echo", "backup"]
            """))
        let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        #expect(up.status == 2, "\(up.output)")
        #expect(up.stderr.contains("application e2e-cron has nothing to run locally; nothing was started"), "\(up.stderr)")
        #expect(up.stderr.contains("--run-cronjobs"), "\(up.stderr)")
        #expect(!up.stdout.contains("creating 0 pods"), "\(up.stdout)")
        #expect(try harness.leftovers().isEmpty)
    }
}
