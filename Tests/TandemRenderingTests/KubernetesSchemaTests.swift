import Foundation
import Testing

/// Checks every golden output against the official Kubernetes OpenAPI schemas, strictly (unknown
/// fields fail), with the `kubernetes-validate` tool from PyPI. `.ci/run` installs it; elsewhere
/// the suite runs when the tool is on PATH.
@Suite("Kubernetes schema validation", .enabled(if: KubernetesValidate.path != nil || ProcessInfo.processInfo.environment["CI"] != nil,
                                                "needs kubernetes-validate (pip install kubernetes-validate)"))
struct KubernetesSchemaTests {
    static let versions = ["1.29.0", "1.37.0"]

    @Test("every golden output passes kubernetes-validate --strict", arguments: versions)
    func goldenOutputsAreValid(version: String) throws {
        let files = FixtureCase.all(in: "Golden").map { $0.file("expected.yaml").path }
        #expect(files.count >= 10)
        let (status, output) = try KubernetesValidate.run(["--strict", "--quiet", "-k", version] + files)
        #expect(status == 0, "kubernetes-validate \(version) failed:\n\(output)")
    }

    @Test("the strict check does catch an unknown field")
    func strictCheckCatchesUnknownFields() throws {
        let manifest = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-kv-\(getpid()).yaml")
        try """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: broken}
            spec:
              selector: {matchLabels: {app: x}}
              template:
                metadata: {labels: {app: x}}
                spec:
                  containers:
                    - {name: x, image: x, mountPath: /oops}
            """.write(to: manifest, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: manifest) }
        let (status, _) = try KubernetesValidate.run(["--strict", "--quiet", "-k", "1.29.0", manifest.path])
        #expect(status != 0)
    }
}

enum KubernetesValidate {
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return directories.map { "\($0)/kubernetes-validate" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static func run(_ arguments: [String]) throws -> (Int32, String) {
        let executable = try #require(path, "kubernetes-validate is not installed: pip install kubernetes-validate")
        return try runProcess([executable] + arguments)
    }
}

/// Runs a program found on PATH; returns its exit status and its stdout and stderr together.
func runProcess(_ arguments: [String]) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
}
