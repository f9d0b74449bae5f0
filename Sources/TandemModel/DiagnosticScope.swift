/// Collects the diagnostics of one run of the pipeline, in the order they were found.
public final class DiagnosticLog {
    public private(set) var diagnostics: [Diagnostic] = []
    /// How many of the diagnostics are errors: stages compare it before and after a step.
    public private(set) var errorCount = 0

    public init() {}

    public var hasErrors: Bool { errorCount > 0 }

    /// The most diagnostics kept; past it one more says so, and the rest are dropped (as compilers
    /// stop after many errors), so that no input makes reporting itself expensive.
    public static let limit = 1_000

    public var isFull: Bool { diagnostics.count >= DiagnosticLog.limit }

    public func add(_ diagnostic: Diagnostic) {
        if diagnostic.isError { errorCount += 1 }
        if diagnostics.count < DiagnosticLog.limit {
            diagnostics.append(diagnostic)
        } else if diagnostics.count == DiagnosticLog.limit {
            diagnostics.append(Diagnostic(.error, code: "too-many-diagnostics",
                                          "more than \(DiagnosticLog.limit) problems; the rest are not shown",
                                          location: diagnostic.location ?? diagnostics.last?.location))
        }
    }

    public func add(contentsOf more: [Diagnostic]) {
        for diagnostic in more { add(diagnostic) }
    }
}

/// A place in a document that diagnostics can be reported about: a file, the document's root
/// node (to find line and column of any path) and the path of the current value.
public struct DiagnosticScope {
    public let log: DiagnosticLog
    public let file: String
    public let document: YAMLNode
    public let path: FieldPath

    public init(log: DiagnosticLog, file: String, document: YAMLNode, path: FieldPath = .root) {
        self.log = log
        self.file = file
        self.document = document
        self.path = path
    }

    /// The scope of a value below this one.
    public func scoped(_ relative: FieldPath) -> DiagnosticScope {
        DiagnosticScope(log: log, file: file, document: document, path: path / relative)
    }

    public func scoped(_ component: FieldPath.Component) -> DiagnosticScope {
        DiagnosticScope(log: log, file: file, document: document, path: path.appending(component))
    }

    /// The scope of the value that holds this one (a component's, for its `properties`).
    public var parent: DiagnosticScope {
        DiagnosticScope(log: log, file: file, document: document, path: FieldPath(Array(path.components.dropLast())))
    }

    /// The document's node for `relative`, if it was written in the input.
    public func node(at relative: FieldPath = .root) -> YAMLNode? {
        document.node(at: path / relative)
    }

    /// Where `relative` is in the file: its node, or the closest enclosing node that exists.
    public func location(of relative: FieldPath = .root) -> SourceLocation {
        SourceLocation(file: file, position: document.position(of: path / relative))
    }

    public func location(_ position: SourcePosition) -> SourceLocation {
        SourceLocation(file: file, position: position)
    }

    public func error(
        _ message: String, at relative: FieldPath = .root, position: SourcePosition? = nil,
        code: String, hint: String? = nil
    ) {
        report(.error, message, at: relative, position: position, code: code, hint: hint)
    }

    public func warning(
        _ message: String, at relative: FieldPath = .root, position: SourcePosition? = nil,
        code: String, hint: String? = nil
    ) {
        report(.warning, message, at: relative, position: position, code: code, hint: hint)
    }

    private func report(
        _ severity: Diagnostic.Severity, _ message: String, at relative: FieldPath,
        position: SourcePosition?, code: String, hint: String?
    ) {
        if log.isFull {
            // Past the limit, count the error without the cost of locating it.
            if severity == .error { log.add(Diagnostic(.error, code: code, message)) }
            return
        }
        let location = position.map(location(_:)) ?? location(of: relative)
        log.add(Diagnostic(severity, code: code, message, path: path / relative, location: location, hint: hint))
    }
}
