import Foundation
import TandemTestSupport
import Testing

/// Checks every golden output against the official Kubernetes OpenAPI schemas, strictly (unknown
/// fields fail), with the `kubernetes-validate` tool from PyPI. `.ci/run` installs it; elsewhere
/// the suite runs when the tool is found.
@Suite("Kubernetes schema validation", Judges.needs(PythonTools.kubernetesValidate != nil, PythonTools.missingKubernetesValidate))
struct KubernetesSchemaTests {
    static let versions = ["1.29.0", "1.37.0"]

    @Test("every golden output passes kubernetes-validate --strict", arguments: versions)
    func goldenOutputsAreValid(version: String) throws {
        let files = FixtureCase.all(in: "Golden").map { $0.file("expected.yaml").path }
        #expect(files.count >= 10)
        let run = try PythonTools.kubernetesValidate(["--strict", "--quiet", "-k", version] + files)
        #expect(run.status == 0, "kubernetes-validate \(version) failed:\n\(run.output)")
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
        let run = try PythonTools.kubernetesValidate(["--strict", "--quiet", "-k", "1.29.0", manifest.path])
        #expect(run.status != 0)
    }
}
