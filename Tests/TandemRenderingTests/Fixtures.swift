import Foundation
import KubeModel
import Testing
import TandemModel
@testable import TandemRendering

/// A fixture case: a folder holding `app.yaml`, the expected results, and optional `flags`.
struct FixtureCase: CustomTestStringConvertible, Sendable {
    let folder: URL
    var name: String { folder.lastPathComponent }
    var testDescription: String { name }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static func all(in group: String) -> [FixtureCase] {
        let directory = root.appendingPathComponent(group)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { FixtureCase(folder: directory.appendingPathComponent($0)) }
    }

    func file(_ name: String) -> URL { folder.appendingPathComponent(name) }

    func read(_ name: String) -> String? {
        try? String(contentsOf: file(name), encoding: .utf8)
    }

    /// Renders `app.yaml` as the CLI would, naming the file `app.yaml` in diagnostics.
    func render() throws -> (output: String, diagnostics: String, result: RenderResult) {
        var options = RenderOptions()
        let flags = (read("flags") ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
        if let index = flags.firstIndex(of: "--kube-version"), index + 1 < flags.count {
            options.kubeVersion = try #require(KubeVersion(parsing: flags[index + 1]))
        }
        let bytes = try Data(contentsOf: file("app.yaml"))
        let result = RenderPipeline(options: options).render([SourceFile(name: "app.yaml", bytes: Array(bytes))])
        let output = YAMLWriter.documents(result.objects.map(\.json))
        let diagnostics = result.diagnostics.map { $0.description + "\n" }.joined()
        return (output, diagnostics, result)
    }
}

/// Compares `actual` with the file `name` of the case. With TANDEM_RECORD=1 in the environment
/// it writes `actual` there instead, and still fails, so that a recording never passes unseen.
func expectMatchesFile(_ actual: String, _ name: String, of fixture: FixtureCase, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let url = fixture.file(name)
    let expected = fixture.read(name) ?? ""
    if ProcessInfo.processInfo.environment["TANDEM_RECORD"] == "1" {
        if actual != expected {
            if actual.isEmpty { try? FileManager.default.removeItem(at: url) } else { try? actual.write(to: url, atomically: true, encoding: .utf8) }
            Issue.record("recorded \(fixture.name)/\(name); run again without TANDEM_RECORD", sourceLocation: sourceLocation)
        }
        return
    }
    if actual != expected {
        Issue.record("\(fixture.name)/\(name) differs:\n\(lineDiff(expected: expected, actual: actual))", sourceLocation: sourceLocation)
    }
}

/// The first differing line, with two lines of context.
func lineDiff(expected: String, actual: String) -> String {
    let expectedLines = expected.components(separatedBy: "\n")
    let actualLines = actual.components(separatedBy: "\n")
    let count = max(expectedLines.count, actualLines.count)
    guard let first = (0..<count).first(where: { index in
        (index < expectedLines.count ? expectedLines[index] : nil) != (index < actualLines.count ? actualLines[index] : nil)
    }) else { return "(no difference)" }
    var text = ""
    for index in max(0, first - 2)..<min(count, first + 3) {
        let left = index < expectedLines.count ? expectedLines[index] : "<end>"
        let right = index < actualLines.count ? actualLines[index] : "<end>"
        text += left == right ? "  \(index + 1): \(left)\n" : "- \(index + 1): \(left)\n+ \(index + 1): \(right)\n"
    }
    return text
}
