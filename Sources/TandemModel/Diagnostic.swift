/// One problem found in the input, printed like a compiler message:
/// `app.yaml:22:15: error: components[0].traits[0].properties: missing required property 'image'`.
public struct Diagnostic: Sendable, Hashable, Error, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    public var path: FieldPath?
    /// Where in a file; nil for an Application read from the API server, which has no lines.
    public var location: SourceLocation?
    public var hint: String?

    public init(
        _ severity: Severity, code: DiagnosticCode, _ message: String,
        path: FieldPath? = nil, location: SourceLocation? = nil, hint: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.path = path
        self.location = location
        self.hint = hint
    }

    public var isError: Bool { severity == .error }

    public var description: String {
        var line = ""
        if let location { line += "\(location): " }
        line += "\(severity.rawValue): "
        if let path, !path.isEmpty { line += "\(path): " }
        line += message
        if let hint { line += "\n  hint: \(hint)" }
        return line
    }
}

extension Diagnostic {
    /// Orders diagnostics by file, line and column; those without a location come first, and the
    /// note that some were left out comes last. Equal places keep the order they were found in.
    public static func sortedByLocation(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { lhs, rhs in
            let (leftLast, rightLast) = (lhs.element.code == .tooManyDiagnostics, rhs.element.code == .tooManyDiagnostics)
            if leftLast != rightLast { return rightLast }
            switch (lhs.element.location, rhs.element.location) {
            case let (left?, right?) where left != right: return left < right
            case (nil, _?): return true
            case (_?, nil): return false
            default: return lhs.offset < rhs.offset
            }
        }.map(\.element)
    }
}
