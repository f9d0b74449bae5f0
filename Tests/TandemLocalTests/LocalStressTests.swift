import Foundation
import TandemTestSupport
import Testing

/// `up --local -d` then `down`, again and again on a loaded machine: every run succeeds, and
/// nothing outlives `down` — no pod, container, supervisor or state folder. (`tandem-bench
/// local-stress` runs 30 cycles and prints the figures; this is the short version for CI.)
@Suite(.serialized, .enabled(if: LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason))
struct LocalStressTests {
    typealias Harness = LocalRuntimeHarness

    @Test func fiveUpDownCyclesUnderCPULoadAllSucceedAndLeaveNothing() throws {
        let harness = try Harness("e2e-stress")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-stress", """
                - name: app
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sleep", "3600"]
                  traits:
                    - type: sidecar
                      properties:
                        name: helper
                        image: busybox:1.36
                        cmd: ["sleep", "3600"]
            """))
        let load = try CPULoad(processes: 2)
        defer { load.stop() }
        var failures: [String] = []
        for cycle in 1...5 {
            let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "120s"])
            if up.status != 0 { failures.append("cycle \(cycle): up exited \(up.status): \(up.output)") }
            let down = try harness.tandem(["down", "--local", "e2e-stress"])
            if down.status != 0 { failures.append("cycle \(cycle): down exited \(down.status): \(down.output)") }
            let left = try harness.leftovers() + harness.supervisors().map { "supervisor \($0)\n" }.joined()
            if !left.isEmpty { failures.append("cycle \(cycle): left behind: \(left)") }
            if FileManager.default.fileExists(atPath: harness.stateDirectory) { failures.append("cycle \(cycle): the state folder is left") }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func downFindsTheSupervisorByItsCommandLineWhateverTheStateFolderHolds() throws {
        let harness = try Harness("e2e-orphan")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-orphan", """
                - name: app
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sleep", "3600"]
            """))
        let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        let supervisors = harness.supervisors()
        try #require(supervisors.count == 1, "\(supervisors)")
        // What up wrote of its supervisor is lost (a half-written folder, a crash): down finds it anyway.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: harness.stateDirectory)) ?? [] where name.hasPrefix("supervisor") {
            try FileManager.default.removeItem(atPath: "\(harness.stateDirectory)/\(name)")
        }
        let down = try harness.tandem(["down", "--local", "e2e-orphan"])
        #expect(down.status == 0, "\(down.output)")
        #expect(harness.supervisors().isEmpty, "\(harness.supervisors())")
        #expect(try harness.leftovers().isEmpty)
    }

    @Test func aSupervisorWhoseApplicationWasRemovedStopsByItself() throws {
        let harness = try Harness("e2e-stray")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-stray", """
                - name: app
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sleep", "3600"]
            """))
        let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        let supervisors = harness.supervisors()
        try #require(supervisors.count == 1)
        // Its state folder removed behind its back (by hand, or by a down that could not see it).
        try FileManager.default.removeItem(atPath: harness.stateDirectory)
        let running = try ProcessExit.wait(for: supervisors, seconds: 10)
        #expect(running.isEmpty && harness.supervisors().isEmpty, "supervisors still running: \(harness.supervisors())")
    }
}

/// Busy processes (`yes > /dev/null`), one per core, that load the machine while a test runs.
final class CPULoad {
    private var processes: [Process] = []

    init(processes count: Int) throws {
        for _ in 0..<count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/yes")
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            processes.append(process)
        }
    }

    /// SIGKILL: a test runs on a thread that blocks SIGTERM, and `Process` passes that mask on.
    func stop() {
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        processes = []
    }
}
