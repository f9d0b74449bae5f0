import Foundation
import KubeClient

/// What a child process cost: its exit status, wall time, CPU time and peak resident memory.
struct Measurement {
    var status: Int32
    var wall: Double
    var user: Double
    var system: Double
    /// Peak resident set, in KiB.
    var peakKiB: Int

    var cpu: Double { user + system }
}

enum ChildProcess {
    /// Runs a command with stdout and stderr sent to /dev/null. It is spawned directly (not
    /// through Foundation's Process, which reaps children itself) so that wait4 reports the
    /// child's own resource usage.
    static func measure(_ executable: String, _ arguments: [String]) throws -> Measurement {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = Date()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return Measurement(status: (status >> 8) & 0xFF, wall: Date().timeIntervalSince(start),
                           user: seconds(usage.ru_utime), system: seconds(usage.ru_stime), peakKiB: Int(usage.ru_maxrss))
    }

    /// Measures in a fresh helper process (`tandem-bench measure ...`): Linux counts the memory of
    /// the process that spawned a program into the program's peak RSS, and a benchmark may hold
    /// large inputs in memory.
    static func measureFromHelper(_ executable: String, _ arguments: [String]) throws -> Measurement {
        let helper = Process()
        helper.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        helper.arguments = ["measure", executable] + arguments
        let pipe = Pipe()
        helper.standardOutput = pipe
        try helper.run()
        let reply = String(decoding: pipe.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
        helper.waitUntilExit()
        let fields = reply.split(whereSeparator: \.isWhitespace)
        guard fields.count == 5, let status = Int32(fields[0]), let wall = Double(fields[1]), let user = Double(fields[2]),
              let system = Double(fields[3]), let peak = Int(fields[4])
        else { throw POSIXError(.EPROTO) }
        return Measurement(status: status, wall: wall, user: user, system: system, peakKiB: peak)
    }

    /// The helper's side: runs the command and prints "status wall user system peak-KiB".
    static func measureAndPrint(_ command: [String]) throws {
        let result = try measure(command[0], Array(command.dropFirst()))
        print("\(result.status) \(result.wall) \(result.user) \(result.system) \(result.peakKiB)")
    }

    /// Runs a command and returns what it printed on stdout and stderr, and its status.
    static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readAllRetryingInterrupts(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// A program on PATH, if there is one.
    static func which(_ program: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return directories.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The release build of `tandem` beside this benchmark, built first when it is missing.
    static func tandemExecutable() throws -> String { try executable("tandem") }

    /// A release product of this package beside this benchmark, built first when it is missing.
    static func executable(_ product: String) throws -> String {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let path = products.appendingPathComponent(product).path
        if !FileManager.default.isExecutableFile(atPath: path) {
            let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            print("building \(product) (swift build -c release --product \(product)) ...")
            guard let swift = which("swift") else { throw POSIXError(.ENOENT) }
            let (status, output) = try run(swift, ["build", "-c", "release", "--product", product, "--package-path", package.path])
            guard status == 0, FileManager.default.isExecutableFile(atPath: path) else {
                print(output)
                throw POSIXError(.ENOENT)
            }
        }
        return path
    }
}
