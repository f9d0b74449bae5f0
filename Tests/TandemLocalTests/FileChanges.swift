import Foundation
import TandemTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Writes under a folder, as inotify reports them: a test waiting for the local runtime re-checks
/// its condition when the supervisor or podman wrote something (status.json, a log line), not at
/// intervals.
final class FileChanges {
    private let descriptor: Int32
    private let root: String
    private var watched: Set<String> = []

    init(_ root: String) throws {
        self.root = root
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw TestSupportError("inotify_init1 failed: errno \(errno)") }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        watchTree(root)
    }

    deinit { close(descriptor) }

    /// Waits until something under the folder is written, created, renamed or removed, or
    /// until `deadline`; false when the deadline came first.
    func next(before deadline: Date) -> Bool {
        let milliseconds = Int32(min(max(0, deadline.timeIntervalSinceNow * 1000).rounded(.up), Double(Int32.max)))
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, milliseconds) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while read(descriptor, &buffer, buffer.count) > 0 {}  // what changed matters less than that something did
        watchTree(root)  // folders created since: their writes from now on
        return true
    }

    /// Watches `path` and every folder under it that is not watched yet.
    private func watchTree(_ path: String) {
        if !watched.contains(path) {
            let mask = UInt32(IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB)
            // Fails only when the folder went away since it was listed: nothing to watch, and its
            // parent's watch has reported the removal.
            guard inotify_add_watch(descriptor, path, mask) >= 0 else { return }
            watched.insert(path)
        }
        for child in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            var isDirectory: ObjCBool = false
            let childPath = path + "/" + child
            if FileManager.default.fileExists(atPath: childPath, isDirectory: &isDirectory), isDirectory.boolValue {
                watchTree(childPath)
            }
        }
    }
}

/// Waiting for processes that are not this one's children to end: a pidfd becomes readable
/// when its process exits.
enum ProcessExit {
    private typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32

    /// glibc 2.36's `pidfd_open`, looked up at run time (Swift cannot call the variadic `syscall`).
    private static let pidfdOpen: PidfdOpen? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "pidfd_open") else { return nil }
        return unsafeBitCast(symbol, to: PidfdOpen.self)
    }()

    /// Waits until every process of `pids` has ended or `seconds` have passed; the ones still
    /// running then.
    static func wait(for pids: [pid_t], seconds: Double) throws -> [pid_t] {
        guard let pidfdOpen else { throw TestSupportError("this C library has no pidfd_open (glibc 2.36 or later has)") }
        let deadline = Date().addingTimeInterval(seconds)
        var running: [pid_t] = []
        for pid in pids {
            let descriptor = pidfdOpen(pid, 0)
            guard descriptor >= 0 else { continue }  // ESRCH: it has ended already
            defer { close(descriptor) }
            let milliseconds = Int32(min(max(0, deadline.timeIntervalSinceNow * 1000).rounded(.up), Double(Int32.max)))
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&request, 1, milliseconds) <= 0 { running.append(pid) }
        }
        return running
    }
}
