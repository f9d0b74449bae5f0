import Foundation

/// A Kubernetes API test server (`kube-test-server`, built with the tests) running as a child
/// process on loopback, with a kubeconfig that points at it: what end-to-end tests run `tandem`
/// and `kubectl` against.
public final class TestCluster: @unchecked Sendable {
    public let directory: URL
    public let kubeconfig: String
    public private(set) var url = ""
    private let process = Process()

    /// Starts a server; `arguments` are passed on (`--version v1.28.0`, `--no-simulation`).
    public init(_ arguments: [String] = []) throws {
        let executable = PackagePaths.products.appendingPathComponent("kube-test-server")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw TestSupportError("build the test server first: swift build --build-tests")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        kubeconfig = directory.appendingPathComponent("kubeconfig").path
        process.executableURL = executable
        process.arguments = ["--port", "0", "--kubeconfig-out", kubeconfig] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("listening on ") else {
            process.terminate()
            throw TestSupportError("kube-test-server did not start: \(text)")
        }
        url = String(text.dropFirst("listening on ".count))
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `tandem` against this server.
    public func tandem(_ arguments: [String], stdin: String? = nil) throws -> ProcessResult {
        try Tandem.run(arguments + ["--kubeconfig", kubeconfig], stdin: stdin, environment: ["NO_COLOR": "1", "HOME": directory.path])
    }

    /// Runs the real kubectl against this server.
    public func kubectl(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
        try Kubectl.run(["--kubeconfig", kubeconfig] + arguments, environment: environment, stdin: stdin)
    }

    /// `tandem` for async tests, off Swift's cooperative threads.
    public func tandem(_ arguments: [String], stdin: String? = nil) async throws -> ProcessResult {
        try await offCooperativePool { try self.tandem(arguments, stdin: stdin) }
    }

    /// `kubectl` for async tests, off Swift's cooperative threads.
    public func kubectl(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws -> ProcessResult {
        try await offCooperativePool { try self.kubectl(arguments, stdin: stdin, environment: environment) }
    }

    /// Writes `text` to a file in this cluster's folder and returns its path.
    public func file(_ name: String, _ text: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
