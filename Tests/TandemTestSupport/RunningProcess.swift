import Foundation

/// A program that runs beside the test (`tandem logs -f`, `port-forward`): its output is
/// collected as it comes, and the test waits for what it expects to appear, not for a time.
public final class RunningProcess: @unchecked Sendable {
    private let process = Process()
    private let condition = NSCondition()
    private var stdout = Data()
    private var stderr = Data()
    private var openStreams = 2

    public init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for (pipe, isError) in [(output, false), (errors, true)] {
            Thread { [self] in
                while true {
                    let chunk = pipe.fileHandleForReading.availableData  // empty at the end
                    condition.lock()
                    if chunk.isEmpty { openStreams -= 1 } else if isError { stderr.append(chunk) } else { stdout.append(chunk) }
                    condition.broadcast()
                    condition.unlock()
                    if chunk.isEmpty { return }
                }
            }.start()
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    public var output: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: stdout, as: UTF8.self)
    }

    public var errors: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: stderr, as: UTF8.self)
    }

    /// Waits until standard output (or with `errors`, standard error) satisfies `enough` (true),
    /// or the program ends or `seconds` pass (false).
    public func wait(seconds: Double = 30, errors: Bool = false, until enough: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if enough(String(decoding: errors ? stderr : stdout, as: UTF8.self)) { return true }
            if openStreams == 0 || !condition.wait(until: deadline) { return enough(String(decoding: errors ? stderr : stdout, as: UTF8.self)) }
        }
    }

    /// ``wait(seconds:errors:until:)`` on standard output, off Swift's cooperative threads.
    public func awaitOutput(seconds: Double = 30, until enough: @escaping @Sendable (String) -> Bool) async -> Bool {
        (try? await offCooperativePool { self.wait(seconds: seconds, until: enough) }) ?? false
    }

    /// ``wait(seconds:errors:until:)`` on standard error, off Swift's cooperative threads.
    public func awaitErrors(seconds: Double = 30, until enough: @escaping @Sendable (String) -> Bool) async -> Bool {
        (try? await offCooperativePool { self.wait(seconds: seconds, errors: true, until: enough) }) ?? false
    }

    /// Kills the program and waits for it to end. SIGKILL, because a child inherits the signal
    /// mask of the test thread that starts it, which may block SIGINT and SIGTERM.
    @discardableResult
    public func stop() async -> Int32 {
        kill(process.processIdentifier, SIGKILL)
        return (try? await offCooperativePool { self.process.waitUntilExit(); return self.process.terminationStatus }) ?? -1
    }
}
