import Foundation
@testable import TandemLocal
import Testing

/// `up` knows the supervisor it started by its process id: running from the moment it is
/// spawned (its command line in /proc appears a moment later, which is what made `up` fail at
/// random), how it ended when it ends, and stopped for good when `up` fails.
@Suite struct SupervisorProcessTests {
    /// A stand-in supervisor: a script that ignores its arguments and runs `body`.
    static func launcher(_ body: String) throws -> (LocalLauncher, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-supervisor-\(UUID().uuidString.prefix(8))").path
        let state = StateDirectory(path: "\(folder)/state")
        try state.create()
        let script = "\(folder)/supervisor.sh"
        try "#!/bin/sh\n\(body)\n".write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        return (LocalLauncher(podman: Podman(executable: "/bin/false"), state: state), script)
    }

    @Test func aSupervisorIsRunningTheMomentItIsSpawnedAndStopEndsIt() throws {
        let (launcher, script) = try Self.launcher("exec sleep 60")
        defer { try? FileManager.default.removeItem(atPath: (script as NSString).deletingLastPathComponent) }
        for _ in 0..<20 {
            let supervisor = try launcher.spawnSupervisor(executable: script)
            #expect(supervisor.ended == nil)
            supervisor.stop()
            #expect(supervisor.ended == "was killed by signal 15")
            #expect(kill(supervisor.pid, 0) == -1 && errno == ESRCH, "the stopped supervisor is gone, reaped")
        }
    }

    @Test func aSupervisorThatExitsSaysHow() async throws {
        let (launcher, script) = try Self.launcher("echo 'plan.json: no such file' >&2; exit 3")
        defer { try? FileManager.default.removeItem(atPath: (script as NSString).deletingLastPathComponent) }
        let supervisor = try launcher.spawnSupervisor(executable: script)
        // Wait for its exit the way the kernel reports it, without reaping it ourselves.
        var info = siginfo_t()
        _ = waitid(P_PID, id_t(supervisor.pid), &info, WEXITED | WNOWAIT)
        #expect(supervisor.ended == "exited with status 3")
        let log = try String(contentsOfFile: launcher.state.supervisorLog, encoding: .utf8)
        #expect(log == "plan.json: no such file\n")
    }
}
