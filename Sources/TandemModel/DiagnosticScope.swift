/// A place in a document that diagnostics are reported about: the log, the document's source map
/// (to find the line and column of any path; none for JSON from the API server) and the path of
/// the current value.
public struct DiagnosticScope {
    public let log: DiagnosticLog
    public let source: SourceMap?
    public let path: FieldPath

    public init(log: DiagnosticLog, source: SourceMap?, path: FieldPath = .root) {
        self.log = log
        self.source = source
        self.path = path
    }

    /// The scope of a value below this one.
    public func scoped(_ relative: FieldPath) -> DiagnosticScope {
        DiagnosticScope(log: log, source: source, path: path / relative)
    }

    public func scoped(_ component: FieldPath.Component) -> DiagnosticScope {
        DiagnosticScope(log: log, source: source, path: path.appending(component))
    }

    /// Where `relative` is in the file: its node, or the closest enclosing node that exists.
    public func location(of relative: FieldPath = .root) -> SourceLocation? {
        source.map { SourceLocation(file: $0.file, position: $0.position(of: path / relative)) }
    }

    public func location(_ position: SourcePosition) -> SourceLocation? {
        source.map { SourceLocation(file: $0.file, position: position) }
    }

    public func error(
        _ message: String, at relative: FieldPath = .root, position: SourcePosition? = nil,
        code: DiagnosticCode, hint: String? = nil
    ) {
        report(.error, message, at: relative, position: position, code: code, hint: hint)
    }

    public func warning(
        _ message: String, at relative: FieldPath = .root, position: SourcePosition? = nil,
        code: DiagnosticCode, hint: String? = nil
    ) {
        report(.warning, message, at: relative, position: position, code: code, hint: hint)
    }

    private func report(
        _ severity: Diagnostic.Severity, _ message: String, at relative: FieldPath,
        position: SourcePosition?, code: DiagnosticCode, hint: String?
    ) {
        if log.isFull {
            // Past the limit, count the problem without the cost of locating it.
            log.countDropped(severity, location: position.flatMap(location(_:)) ?? location(of: relative))
            return
        }
        let location = position.flatMap(location(_:)) ?? location(of: relative)
        log.add(Diagnostic(severity, code: code, message, path: path / relative, location: location, hint: hint))
    }
}
