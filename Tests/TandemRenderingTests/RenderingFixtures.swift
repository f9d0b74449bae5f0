import Foundation
import KubeModel
import TandemJSON
import TandemModel
import TandemParsing
import TandemTestSupport
import Testing
@testable import TandemRendering

extension FixtureCase {
    /// The render options its `flags` file asks for.
    var options: RenderOptions {
        get throws {
            var options = RenderOptions()
            if let index = flags.firstIndex(of: "--kube-version"), index + 1 < flags.count {
                options.kubeVersion = try #require(KubeVersion(parsing: flags[index + 1]))
            }
            return options
        }
    }

    /// Renders `app.yaml` as the CLI would, naming the file `app.yaml` in diagnostics.
    func render() throws -> (output: String, diagnostics: String, result: RenderResult) {
        let bytes = try Data(contentsOf: file("app.yaml"))
        let result = RenderPipeline(options: try options).render([SourceFile(name: "app.yaml", bytes: Array(bytes))])
        let output = YAMLWriter.documents(result.objects.map(\.json))
        let diagnostics = result.diagnostics.map { $0.description + "\n" }.joined()
        return (output, diagnostics, result)
    }
}

/// Parses multi-document YAML back into JSON values with Tandem's own reader.
func rereadDocuments(_ text: String) throws -> [JSONValue] {
    let (documents, problems) = YAMLReader().read(Array(text.utf8), file: "output")
    #expect(problems.isEmpty, "\(problems)")
    return documents.map(\.json)
}
