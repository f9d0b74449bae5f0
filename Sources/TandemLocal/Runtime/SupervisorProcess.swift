import Foundation

/// The supervisor processes of an application, found by what they run — `tandem
/// local-supervise STATE-FOLDER` — in /proc, not by a file: a file can be lost, and a process
/// read too soon after it was spawned shows no command line yet (the kernel sets it a moment
/// after the parent resumes).
public enum SupervisorProcesses {
    /// Every running supervisor of `state`.
    public static func running(_ state: StateDirectory) -> [pid_t] {
        processes { words in words.contains(LocalSupervisor.commandName) && words.last == state.path }
    }

    /// Every running Service forwarder of `state` (`tandem local-forward STATE ...`).
    public static func forwarders(_ state: StateDirectory) -> [pid_t] {
        processes { words in words.contains(ServiceForwarder.commandName) && words.contains(state.path) }
    }

    private static func processes(_ matching: ([String]) -> Bool) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(pid_t.init).filter { pid in
            guard let commandLine = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return matching(commandLine.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
        }
    }

    /// Ends every supervisor of `state`, then its forwarders (which would end by themselves a
    /// moment later, but `down` leaves nothing running): SIGTERM, and SIGKILL for one still
    /// there after a second.
    public static func stopAll(_ state: StateDirectory) {
        stop { running(state) }
        stop { forwarders(state) }
    }

    private static func stop(_ find: () -> [pid_t]) {
        let pids = find()
        guard !pids.isEmpty else { return }
        for pid in pids { kill(pid, SIGTERM) }
        for _ in 0..<50 {
            if find().isEmpty { return }
            usleep(20_000)
        }
        for pid in find() { kill(pid, SIGKILL) }
    }
}

/// The supervisor `up` spawned, known by its process id from the moment it exists: `up` is its
/// parent, so it learns that the supervisor ended, and how, from waitpid.
public final class SupervisorProcess: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var ending: String?

    init(pid: pid_t) {
        self.pid = pid
    }

    /// How it ended ("exited with status 1", "was killed by signal 9"), or nil while it runs.
    public var ended: String? {
        lock.withLock {
            if ending == nil {
                var status: Int32 = 0
                let result = waitpid(pid, &status, WNOHANG)
                if result == pid {
                    ending = Self.describe(status)
                } else if result < 0 {
                    ending = "is gone (\(String(cString: strerror(errno))))"
                }
            }
            return ending
        }
    }

    /// Stops it (SIGTERM, then SIGKILL after a second) and waits until it has gone.
    public func stop() {
        guard ended == nil else { return }
        kill(pid, SIGTERM)
        for _ in 0..<50 {
            if ended != nil { return }
            usleep(20_000)
        }
        kill(pid, SIGKILL)
        lock.withLock {
            var status: Int32 = 0
            if ending == nil, waitpid(pid, &status, 0) == pid { ending = Self.describe(status) }
        }
    }

    static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        return signal == 0 ? "exited with status \((status >> 8) & 0xff)" : "was killed by signal \(signal)"
    }
}
