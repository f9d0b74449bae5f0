import TandemJSON
import TandemModel
import TandemRendering

/// The editor's answer: the diagnostics as `tandem validate` prints them, and the rendered
/// objects as `tandem render` prints them.
enum EditorCheck {
    static let fileName = "application.yaml"

    static func check(_ text: [UInt8], pipeline: RenderPipeline, definitionProblems: [Diagnostic]) -> JSONValue {
        let result = pipeline.run([SourceFile(name: fileName, bytes: text)]) { rendered in
            YAMLWriter.documentBytes(rendered.objects.map(\.object.json))
        }
        let diagnostics = (definitionProblems + result.diagnostics).map(DiagnosticAdvice.advised)
        let rendered = result.hasErrors ? [] : result.outputs.flatMap { $0 }
        return .object([
            "valid": .bool(!result.hasErrors),
            "diagnostics": .array(diagnostics.map { diagnostic in
                var json = Output.json(diagnostic)
                json["text"] = .string(diagnostic.description)
                return json
            }),
            "rendered": .string(String(decoding: rendered, as: UTF8.self)),
        ])
    }
}
