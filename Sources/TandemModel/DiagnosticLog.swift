/// Collects the diagnostics of one document, in the order they were found. Past the limit the
/// rest are only counted (as compilers stop after many errors), so that no input makes reporting
/// itself expensive.
public final class DiagnosticLog {
    public private(set) var diagnostics: [Diagnostic] = []
    public private(set) var errorCount = 0
    public private(set) var warningCount = 0
    /// Counted but not kept.
    public private(set) var droppedErrors = 0
    public private(set) var droppedWarnings = 0
    /// Where the first problem past the limit was.
    public private(set) var firstDroppedLocation: SourceLocation?
    public let limit: Int

    public init(limit: Int = InputLimits.default.maxDiagnostics) {
        self.limit = limit
    }

    public var hasErrors: Bool { errorCount > 0 }
    public var isFull: Bool { diagnostics.count >= limit }

    public func add(_ diagnostic: Diagnostic) {
        if diagnostic.isError { errorCount += 1 } else { warningCount += 1 }
        guard diagnostics.count < limit else {
            if droppedErrors + droppedWarnings == 0 { firstDroppedLocation = diagnostic.location ?? diagnostics.last?.location }
            if diagnostic.isError { droppedErrors += 1 } else { droppedWarnings += 1 }
            return
        }
        diagnostics.append(diagnostic)
    }

    /// What was found, as a value to hand to another thread.
    public var batch: DiagnosticBatch {
        DiagnosticBatch(diagnostics: diagnostics, errorCount: errorCount, warningCount: warningCount,
                        droppedErrors: droppedErrors, droppedWarnings: droppedWarnings, firstDroppedLocation: firstDroppedLocation)
    }

    public func add(contentsOf more: some Sequence<Diagnostic>) {
        for diagnostic in more { add(diagnostic) }
    }

    /// Counts a problem found past the limit without building its message's location.
    public func countDropped(_ severity: Diagnostic.Severity, location: @autoclosure () -> SourceLocation?) {
        if severity == .error { errorCount += 1 } else { warningCount += 1 }
        if droppedErrors + droppedWarnings == 0 { firstDroppedLocation = location() ?? diagnostics.last?.location }
        if severity == .error { droppedErrors += 1 } else { droppedWarnings += 1 }
    }
}

/// The diagnostics of one document, with the counts of those left out.
public struct DiagnosticBatch: Sendable {
    public var diagnostics: [Diagnostic]
    public var errorCount: Int
    public var warningCount: Int
    public var droppedErrors: Int
    public var droppedWarnings: Int
    public var firstDroppedLocation: SourceLocation?

    public init(diagnostics: [Diagnostic] = [], errorCount: Int = 0, warningCount: Int = 0,
                droppedErrors: Int = 0, droppedWarnings: Int = 0, firstDroppedLocation: SourceLocation? = nil) {
        self.diagnostics = diagnostics
        self.errorCount = errorCount
        self.warningCount = warningCount
        self.droppedErrors = droppedErrors
        self.droppedWarnings = droppedWarnings
        self.firstDroppedLocation = firstDroppedLocation
    }
}

/// The diagnostics of a whole run: those of every document, in input order, cut to the limit,
/// with a closing note when some were left out.
public struct DiagnosticReport: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []
    public private(set) var errorCount = 0
    public private(set) var warningCount = 0
    private var droppedErrors = 0
    private var droppedWarnings = 0
    private var firstDroppedLocation: SourceLocation?
    public let limit: Int

    public init(limit: Int = InputLimits.default.maxDiagnostics) {
        self.limit = limit
    }

    public var hasErrors: Bool { errorCount > 0 }

    public mutating func add(_ diagnostic: Diagnostic) {
        if diagnostic.isError { errorCount += 1 } else { warningCount += 1 }
        guard diagnostics.count < limit else {
            if droppedErrors + droppedWarnings == 0 { firstDroppedLocation = diagnostic.location ?? diagnostics.last?.location }
            if diagnostic.isError { droppedErrors += 1 } else { droppedWarnings += 1 }
            return
        }
        diagnostics.append(diagnostic)
    }

    public mutating func add(_ log: DiagnosticBatch) {
        for diagnostic in log.diagnostics { add(diagnostic) }
        guard log.droppedErrors + log.droppedWarnings > 0 else { return }
        if droppedErrors + droppedWarnings == 0 { firstDroppedLocation = log.firstDroppedLocation }
        droppedErrors += log.droppedErrors
        droppedWarnings += log.droppedWarnings
        errorCount += log.droppedErrors
        warningCount += log.droppedWarnings
    }

    /// Every kept diagnostic by file and line, then the note on those left out. The note is an
    /// error only when an error was left out: warnings alone never fail a run.
    public var sorted: [Diagnostic] {
        var result = Diagnostic.sortedByLocation(diagnostics)
        if droppedErrors + droppedWarnings > 0 {
            result.append(Diagnostic(
                droppedErrors > 0 ? .error : .warning, code: .tooManyDiagnostics,
                "more than \(limit) problems; the rest are not shown",
                location: firstDroppedLocation ?? diagnostics.last?.location))
        }
        return result
    }
}
