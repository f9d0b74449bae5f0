/// Diagnostics in the order they were found, up to a limit; past it the rest are only counted (as
/// compilers stop after many errors), so that no input makes reporting itself expensive.
public struct DiagnosticBatch: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []
    public private(set) var errorCount = 0
    public private(set) var warningCount = 0
    /// Counted but not kept.
    public private(set) var droppedErrors = 0
    public private(set) var droppedWarnings = 0
    /// Where the first problem past the limit was.
    public private(set) var firstDroppedLocation: SourceLocation?

    public init() {}

    public mutating func add(_ diagnostic: Diagnostic, limit: Int) {
        guard diagnostics.count < limit else {
            return countDropped(diagnostic.severity, location: diagnostic.location)
        }
        if diagnostic.isError { errorCount += 1 } else { warningCount += 1 }
        diagnostics.append(diagnostic)
    }

    /// Counts a problem found past the limit, locating it only if it is the first.
    public mutating func countDropped(_ severity: Diagnostic.Severity, location: @autoclosure () -> SourceLocation?) {
        if severity == .error { errorCount += 1 } else { warningCount += 1 }
        if droppedErrors + droppedWarnings == 0 { firstDroppedLocation = location() ?? diagnostics.last?.location }
        if severity == .error { droppedErrors += 1 } else { droppedWarnings += 1 }
    }

    /// Adds another batch's diagnostics after these, and its count of those left out.
    public mutating func add(_ other: DiagnosticBatch, limit: Int) {
        for diagnostic in other.diagnostics { add(diagnostic, limit: limit) }
        guard other.droppedErrors + other.droppedWarnings > 0 else { return }
        if droppedErrors + droppedWarnings == 0 { firstDroppedLocation = other.firstDroppedLocation }
        droppedErrors += other.droppedErrors
        droppedWarnings += other.droppedWarnings
        errorCount += other.droppedErrors
        warningCount += other.droppedWarnings
    }
}

/// Collects the diagnostics of one document, as the stages find them.
public final class DiagnosticLog {
    public private(set) var batch = DiagnosticBatch()
    public let limit: Int

    public init(limit: Int = InputLimits.default.maxDiagnostics) {
        self.limit = limit
    }

    public var diagnostics: [Diagnostic] { batch.diagnostics }
    public var errorCount: Int { batch.errorCount }
    public var hasErrors: Bool { batch.errorCount > 0 }
    public var isFull: Bool { batch.diagnostics.count >= limit }

    public func add(_ diagnostic: Diagnostic) {
        batch.add(diagnostic, limit: limit)
    }

    public func add(contentsOf more: some Sequence<Diagnostic>) {
        for diagnostic in more { add(diagnostic) }
    }

    /// Counts a problem found past the limit without building its message's location.
    public func countDropped(_ severity: Diagnostic.Severity, location: @autoclosure () -> SourceLocation?) {
        batch.countDropped(severity, location: location())
    }
}

/// The diagnostics of a whole run: those of every document, in input order, cut to the limit,
/// with a closing note when some were left out.
public struct DiagnosticReport: Sendable {
    private var batch = DiagnosticBatch()
    public let limit: Int

    public init(limit: Int = InputLimits.default.maxDiagnostics) {
        self.limit = limit
    }

    public var errorCount: Int { batch.errorCount }
    public var warningCount: Int { batch.warningCount }
    public var hasErrors: Bool { batch.errorCount > 0 }

    public mutating func add(_ diagnostic: Diagnostic) {
        batch.add(diagnostic, limit: limit)
    }

    public mutating func add(_ other: DiagnosticBatch) {
        batch.add(other, limit: limit)
    }

    /// Every kept diagnostic by file and line, then the note on those left out. The note is an
    /// error only when an error was left out: warnings alone never fail a run.
    public var sorted: [Diagnostic] {
        var result = Diagnostic.sortedByLocation(batch.diagnostics)
        if batch.droppedErrors + batch.droppedWarnings > 0 {
            result.append(Diagnostic(
                batch.droppedErrors > 0 ? .error : .warning, code: .tooManyDiagnostics,
                "more than \(limit) problems; the rest are not shown",
                location: batch.firstDroppedLocation ?? batch.diagnostics.last?.location))
        }
        return result
    }
}
