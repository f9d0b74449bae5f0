import Foundation
import TandemKubeVela
import TandemRendering
import TandemTestSupport
import Testing

/// The worked example of the README (examples/definitions) renders to the committed output,
/// which Kubernetes' own schemas accept.
struct GoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/shop.expected.yaml")

    @Test func theExampleApplicationRendersAsCommitted() throws {
        let registry = CUEDefinitionRenderTests.registry
        let app = PackagePaths.root.appendingPathComponent("examples/definitions/app/shop.yaml")
        let result = RenderPipeline(registry: registry).render([SourceFile(name: "shop.yaml", text: try String(contentsOf: app, encoding: .utf8))])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let actual = YAMLWriter.documents(result.objects.map(\.json))
        let expected = try String(contentsOf: Self.golden, encoding: .utf8)
        #expect(actual == expected, "\(lineDiff(expected: expected, actual: actual))")
    }

    @Test("the golden output passes kubernetes-validate --strict",
          Judges.needs(PythonTools.kubernetesValidate != nil, PythonTools.missingKubernetesValidate),
          arguments: ["1.29.0", "1.37.0"])
    func goldenOutputIsValid(version: String) throws {
        let run = try PythonTools.kubernetesValidate(["--strict", "--quiet", "-k", version, Self.golden.path])
        #expect(run.status == 0, "kubernetes-validate \(version) failed:\n\(run.output)")
    }
}
