import Foundation
import TandemModel
import TandemRendering

/// Where the CLI's text goes: products on stdout, diagnostics on stderr, each written whole.
enum Output {
    static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func printDiagnostics(_ diagnostics: [Diagnostic], format: DiagnosticsFormat) {
        switch format {
        case .text:
            guard !diagnostics.isEmpty else { return }
            standardError(diagnostics.map(\.description).joined(separator: "\n") + "\n")
        case .json:
            standardError(JSONWriter.write(.array(diagnostics.map(json)), indentWidth: 2))
        }
    }

    static func json(_ diagnostic: Diagnostic) -> JSONValue {
        var object = JSONObject()
        object.append("file", diagnostic.location.map { .string($0.file) } ?? .null)
        object.append("line", diagnostic.location.map { .int($0.line) } ?? .null)
        object.append("column", diagnostic.location.map { .int($0.column) } ?? .null)
        object.append("severity", .string(diagnostic.severity.rawValue))
        object.append("code", .string(diagnostic.code))
        object.append("path", diagnostic.path.map { .string($0.description) } ?? .null)
        object.append("message", .string(diagnostic.message))
        object.append("hint", diagnostic.hint.map(JSONValue.string) ?? .null)
        return .object(object)
    }

    /// "2 errors, 1 warning"
    static func count(_ errors: Int, _ warnings: Int) -> String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        return plural(errors, "error") + ", " + plural(warnings, "warning")
    }
}
