import Foundation

/// What a program printed and how it ended.
public struct SubprocessResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    /// Whether it was killed because it ran past its time.
    public var timedOut: Bool

    public var output: String { String(decoding: stdout, as: UTF8.self) }
    public var errorOutput: String { String(decoding: stderr, as: UTF8.self) }
    /// Its last line of error output (podman's `Error: ...`), for messages.
    public var errorLine: String {
        let lines = errorOutput.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let line = lines.last { $0.hasPrefix("Error:") } ?? lines.last ?? "exit status \(status)"
        return line.hasPrefix("Error: ") ? String(line.dropFirst(7)) : line
    }
}

/// Runs programs without blocking the caller's task. Programs are spawned with posix_spawn and
/// reaped with waitpid, on threads of their own: Foundation's Process loses track of children
/// when many run at once from several threads. Pipes are close-on-exec, so one program never
/// holds another's output open; signals are unblocked and at their defaults in the child.
public enum Subprocess {
    public static func run(_ executable: String, _ arguments: [String], input: Data? = nil,
                           timeout: Duration? = nil) async throws -> SubprocessResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(executable, arguments, input: input, timeout: timeout) })
            }
        }
    }

    /// Held while pipes are made and a program spawned, so that no program inherits another's
    /// pipes in the moment before they are marked close-on-exec.
    private static let spawnLock = NSLock()

    static func runBlocking(_ executable: String, _ arguments: [String], input: Data?, timeout: Duration?) throws -> SubprocessResult {
        spawnLock.lock()
        var locked = true
        defer { if locked { spawnLock.unlock() } }
        let output = try Self.pipe(), errors = try Self.pipe(), stdin = try Self.pipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input != nil {
            posix_spawn_file_actions_adddup2(&actions, stdin.read, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.write, 2)
        actions.closeInheritedDescriptors()
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let words = [executable] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        spawnLock.unlock()
        locked = false
        for descriptor in [output.write, errors.write, stdin.read] { close(descriptor) }
        guard spawned == 0 else {
            for descriptor in [output.read, errors.read, stdin.write] { close(descriptor) }
            throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOENT)
        }
        let killer = KillSwitch()
        let child = pid
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout.timeInterval) {
                if killer.arm() { kill(child, SIGKILL) }
            }
        }
        if let input {
            DispatchQueue.global().async {
                input.withUnsafeBytes { buffer in
                    var offset = 0
                    while offset < buffer.count {
                        let written = write(stdin.write, buffer.baseAddress! + offset, buffer.count - offset)
                        if written < 0 { if errno == EINTR { continue } else { break } }
                        offset += written
                    }
                }
                close(stdin.write)
            }
        } else {
            close(stdin.write)
        }
        let errorData = Captured()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData.data = readAll(errors.read)
            group.leave()
        }
        let outputData = readAll(output.read)
        group.wait()
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0, errno == EINTR {}
        let timedOut = !killer.disarm()
        // Exited: its code; killed by a signal: 128 + the signal, as shells report it.
        let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return SubprocessResult(status: code, stdout: outputData, stderr: errorData.data, timedOut: timedOut)
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        guard Glibc.pipe(&descriptors) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return (descriptors[0], descriptors[1])
    }

    private static func readAll(_ descriptor: Int32) -> Data {
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return data
            }
        }
    }

    /// A program on PATH (or in the usual folders), if there is one.
    public static func find(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        return folders.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Settles the race between a program's end and its timeout: whichever comes first wins.
private final class KillSwitch: @unchecked Sendable {
    private let lock = NSLock()
    private var settled = false
    private var fired = false

    /// The timeout's side: true when it may kill (the program has not ended).
    func arm() -> Bool {
        lock.withLock {
            guard !settled else { return false }
            settled = true
            fired = true
            return true
        }
    }

    /// The end's side: true when the program ended before its timeout.
    func disarm() -> Bool {
        lock.withLock {
            if settled { return !fired }
            settled = true
            return true
        }
    }
}

private final class Captured: @unchecked Sendable {
    var data = Data()
}

extension Duration {
    /// In seconds, as Dispatch takes them.
    var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
