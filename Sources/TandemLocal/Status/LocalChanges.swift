import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `status --local --watch` draws again on, as it happens: podman's events for the
/// application's containers (`podman events`, filtered by the application's label: created,
/// started, died, removed), and the supervisor's writes to the state folder, whose status file
/// carries what podman does not see: the probes' verdicts (a container turning ready). Neither
/// polls: each blocks until it has something to say. The stream ends when the application is
/// removed (its state folder with it), and fails when podman's events end.
public enum LocalChanges {
    public static func follow(podman: Podman, application key: String, state: StateDirectory) throws -> AsyncThrowingStream<Void, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let folder = try FolderWatch(state.path)
        let events = Process()
        events.executableURL = URL(fileURLWithPath: podman.executable)
        events.arguments = ["events", "--filter", "label=\(LocalNames.appLabel)=\(key)", "--format", "{{.Status}} {{.Name}}"]
        let output = Pipe()
        let errors = Pipe()
        events.standardOutput = output
        events.standardError = errors
        events.standardInput = FileHandle.nullDevice
        try events.run()
        Thread.detachNewThread {
            while true {
                let data = output.fileHandleForReading.availableData
                guard !data.isEmpty else { break }
                continuation.yield()
            }
            events.waitUntilExit()
            let said = String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
            continuation.finish(throwing: LocalChangesError("podman events ended (status \(events.terminationStatus))"
                + (said.isEmpty ? "" : ": \(said.trimmingCharacters(in: .whitespacesAndNewlines))")))
        }
        Thread.detachNewThread {
            while folder.next() { continuation.yield() }
            continuation.finish()  // the state folder is gone: so is the application
        }
        continuation.onTermination = { _ in
            if events.isRunning { events.terminate() }
            folder.stop()
        }
        return stream
    }
}

/// Writes in one folder, from inotify: files written and closed, renamed into it (the
/// supervisor's atomic writes), or the folder removed.
final class FolderWatch: @unchecked Sendable {
    private let descriptor: Int32
    /// Written to by `stop`, to wake a `next` that waits.
    private let wake: (read: Int32, write: Int32)

    init(_ path: String) throws {
        descriptor = inotify_init1(Int32(IN_CLOEXEC))
        guard descriptor >= 0 else { throw LocalChangesError("cannot watch \(path): \(String(cString: strerror(errno)))") }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)
        guard inotify_add_watch(descriptor, path, mask) >= 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw LocalChangesError("cannot watch \(path): \(reason)")
        }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            close(descriptor)
            throw LocalChangesError("cannot watch \(path): \(String(cString: strerror(errno)))")
        }
        wake = (ends[0], ends[1])
    }

    deinit {
        close(descriptor)
        close(wake.read)
        close(wake.write)
    }

    /// Waits for the next writes; false once the folder is gone or `stop` was called.
    func next() -> Bool {
        var entries = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&entries, 2, -1)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0, entries[1].revents == 0 else { return false }
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { return false }
            // Each event: wd (4 bytes), mask (4), cookie (4), name length (4), name.
            var offset = 0
            while offset + 16 <= count {
                let mask = buffer[offset + 4..<offset + 8].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
                let length = Int(buffer[offset + 12..<offset + 16].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })
                if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 { return false }
                offset += 16 + length
            }
            return true
        }
    }

    func stop() {
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }
}

public struct LocalChangesError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
