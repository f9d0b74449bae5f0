import Foundation
import Glibc

/// What a program printed and how it ended.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    /// stdout and stderr together, for failure messages.
    public var output: String { stdout + stderr }
}

/// Runs a program, found on PATH unless given as a path, with `stdin` as its input; reads
/// stdout and stderr concurrently so neither pipe fills up and blocks it.
public func runProcess(_ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil,
                       directory: URL? = nil) throws -> ProcessResult {
    let process = Process()
    if let program = arguments.first, program.contains("/") {
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = Array(arguments.dropFirst())
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
    }
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    if let directory { process.currentDirectoryURL = directory }
    let output = Pipe(), errors = Pipe(), input = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = input
    try process.run()
    let errorData = LockedData()
    let reader = Thread {
        errorData.value = errors.fileHandleForReading.readAllRetryingInterrupts()
        errorData.done.signal()
    }
    reader.start()
    if let stdin { try? input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8)) }
    try? input.fileHandleForWriting.close()
    let outputData = output.fileHandleForReading.readAllRetryingInterrupts()
    errorData.done.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
                         stderr: String(decoding: errorData.value, as: UTF8.self))
}

/// `runProcess` for async tests: the child runs, and is waited for, on a thread of its own, so
/// that it never holds one of Swift's cooperative threads (two cores give two, and a test blocked
/// in a child process would starve the servers and controllers other tests run in-process).
public func runProcess(_ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil,
                       directory: URL? = nil) async throws -> ProcessResult {
    try await offCooperativePool { try runProcess(arguments, stdin: stdin, environment: environment, directory: directory) }
}

/// Runs a program that does not end by itself (a watch) until what it has printed on stdout
/// satisfies `enough`, then stops it; or until it ends on its own. Waits for the output, not for
/// a time: a program that never prints enough ends by its own timeout.
public func runProcess(_ arguments: [String], environment: [String: String]? = nil,
                       until enough: @escaping @Sendable (String) -> Bool) async throws -> ProcessResult {
    try await offCooperativePool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errorData = LockedData()
        Thread {
            errorData.value = errors.fileHandleForReading.readAllRetryingInterrupts()
            errorData.done.signal()
        }.start()
        var printed = Data()
        var stopped = false
        while true {
            let chunk = output.fileHandleForReading.availableDataRetryingInterrupts()  // empty at the end of the output
            if chunk.isEmpty { break }
            printed.append(chunk)
            if !stopped, enough(String(decoding: printed, as: UTF8.self)) {
                process.terminate()
                stopped = true
            }
        }
        errorData.done.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: printed, as: UTF8.self),
                             stderr: String(decoding: errorData.value, as: UTF8.self))
    }
}

/// Runs blocking work on a thread of its own and waits for it without blocking.
public func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

extension FileHandle {
    /// Everything until the end of the file. Foundation's `readDataToEndOfFile()` and
    /// `availableData` trap on EINTR, and a test process running children gets SIGCHLD at any time.
    public func readAllRetryingInterrupts() -> Data {
        var data = Data()
        while case let chunk = availableDataRetryingInterrupts(), !chunk.isEmpty { data.append(chunk) }
        return data
    }

    /// What can be read now (waiting for some), retried when a signal interrupts the read;
    /// empty at the end of the file.
    public func availableDataRetryingInterrupts() -> Data {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fileDescriptor, $0.baseAddress, $0.count) }
            if count >= 0 { return Data(buffer[0..<count]) }
            if errno != EINTR { return Data() }
        }
    }
}

private final class LockedData: @unchecked Sendable {
    var value = Data()
    let done = DispatchSemaphore(value: 0)
}

/// The package's folders, found from this file's place in it.
public enum PackagePaths {
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The products folder of the build running the tests (`.build/debug`).
    public static let products: URL = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The runner may sit inside a bundle folder; walk up to the products folder.
        for _ in 0..<4 where !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("tandem").path) {
            directory.deleteLastPathComponent()
        }
        return directory
    }()
}

/// The built `tandem` executable, run as a user would.
public enum Tandem {
    public static var executable: URL { PackagePaths.products.appendingPathComponent("tandem") }

    public static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil,
                           directory: URL? = nil) throws -> ProcessResult {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestSupportError("build the tandem executable first: swift build")
        }
        return try runProcess([executable.path] + arguments, stdin: stdin, environment: environment, directory: directory)
    }

    /// `run` for async tests, off Swift's cooperative threads.
    public static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil,
                           directory: URL? = nil) async throws -> ProcessResult {
        try await offCooperativePool { try run(arguments, stdin: stdin, environment: environment, directory: directory) }
    }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
