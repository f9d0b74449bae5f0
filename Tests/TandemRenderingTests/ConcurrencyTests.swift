import Foundation
import TandemJSON
import TandemModel
import TandemTestSupport
import Testing
@testable import TandemRendering

/// Files, and the documents of a large file, are rendered concurrently: whatever the timing, the
/// bytes and the diagnostics come out the same and in input order.
@Suite("Concurrent rendering")
struct ConcurrencyTests {
    /// Several files of many documents, made from the golden inputs (some with warnings), each
    /// application in a namespace of its own.
    static let files: [SourceFile] = {
        let inputs = FixtureCase.all(in: "Golden").compactMap { fixture -> String? in
            guard fixture.flags.isEmpty, let text = fixture.read("app.yaml"), !text.contains("---"), !text.contains("namespace:"),
                  text.contains("\nmetadata:\n  name: ") else { return nil }
            return text
        }
        return (0..<6).map { file in
            let documents = (0..<40).map { index -> String in
                let text = inputs[(file * 40 + index) % inputs.count]
                return "---\n" + text.replacingOccurrences(of: "\nmetadata:\n  name: ", with: "\nmetadata:\n  namespace: ns-\(file)-\(index)\n  name: ")
            }
            return SourceFile(name: "apps-\(file).yaml", text: documents.joined())
        }
    }()

    static func render(jobs: Int, _ files: [SourceFile] = files) -> (String, [String]) {
        let run = RenderPipeline(options: RenderOptions(jobs: jobs)).run(files) { YAMLWriter.documents($0.objects.map(\.object.json)) }
        return (run.outputs.joined(), run.diagnostics.map(\.description))
    }

    @Test("the same bytes and diagnostics on one thread and on many, every time")
    func deterministic() {
        let (expected, expectedDiagnostics) = Self.render(jobs: 1)
        #expect(!expected.isEmpty, "\(expectedDiagnostics.prefix(5))")
        #expect(expected.components(separatedBy: "\n---\n").count > 200)
        for jobs in [2, 3, 8, 8, 8, 8] {
            let (output, diagnostics) = Self.render(jobs: jobs)
            #expect(output == expected, "jobs \(jobs): \(lineDiff(expected: expected, actual: output))")
            #expect(diagnostics == expectedDiagnostics)
        }
    }

    @Test("an error anywhere keeps every output back, and diagnostics stay in input order")
    func errorsStopOutput() {
        let broken = SourceFile(name: "broken.yaml", text: """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: broken}
            spec:
              components:
                - {name: c, type: wroker, properties: {image: x}}
            """)
        for jobs in [1, 4] {
            let run = RenderPipeline(options: RenderOptions(jobs: jobs)).run(Self.files + [broken]) { _ in "x" }
            #expect(run.outputs.isEmpty)
            #expect(run.errorCount == 1)
            #expect(run.diagnostics.last?.location?.file == "broken.yaml")
        }
    }
}
