import Foundation

/// The Python tools the tests use as independent judges: kubernetes-validate (the Kubernetes
/// OpenAPI schemas), jsonschema and PyYAML. `.ci/run` installs them into a virtual environment
/// at `.build/venv`; elsewhere they are found on PATH.
public enum PythonTools {
    static let venv = PackagePaths.root.appendingPathComponent(".build/venv/bin")

    /// A program of the virtual environment, else of PATH.
    public static func path(of program: String) -> String? {
        let inVenv = venv.appendingPathComponent(program).path
        if FileManager.default.isExecutableFile(atPath: inVenv) { return inVenv }
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        return directories.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public static var python: String { path(of: "python3") ?? "python3" }
    public static var kubernetesValidate: String? { path(of: "kubernetes-validate") }

    public static let missingKubernetesValidate = "kubernetes-validate is not installed (bash .ci/run installs it into .build/venv)"
    public static let missingJSONSchemaAndYAML = "Python's jsonschema and PyYAML are not installed (bash .ci/run installs them into .build/venv)"

    public static let hasJSONSchemaAndYAML: Bool = {
        (try? runProcess([python, "-c", "import jsonschema, yaml"]).status) == 0
    }()

    /// grpcio with its health servicer, for the grpc probe's tests.
    public static let hasGRPCHealth: Bool = {
        (try? runProcess([python, "-c", "import grpc, grpc_health.v1.health"]).status) == 0
    }()

    public static func kubernetesValidate(_ arguments: [String]) throws -> ProcessResult {
        guard let executable = kubernetesValidate else {
            throw TestSupportError("kubernetes-validate is not installed: bash .ci/run installs it")
        }
        return try runProcess([executable] + arguments)
    }
}
