/// Something that keeps an application from running locally, found before anything starts:
/// named as Kubernetes would name it (`CreateContainerConfigError`, `ErrImagePull`), with what
/// to do about it.
public struct LocalProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// What it is about: `sidecar 'log-shipper' in pod app-0 (component 'app')`.
    public var subject: String
    /// Kubernetes' reason for the same problem, when it has one.
    public var reason: String?
    public var message: String
    /// What to do that holds whoever started the run.
    public var hint: String?
    /// What the one who started the run can do besides, in their own words.
    public var remedy: LocalRemedy?

    public init(_ subject: String, reason: String? = nil, _ message: String, hint: String? = nil, remedy: LocalRemedy? = nil) {
        self.subject = subject
        self.reason = reason
        self.message = message
        self.hint = hint
        self.remedy = remedy
    }

    public var description: String { describe(hint: hint) }

    /// The problem with `hint` in place of its own (a presenter's, with its remedy added).
    public func describe(hint: String?) -> String {
        var text = subject.isEmpty ? "" : "\(subject): "
        if let reason { text += "\(reason): " }
        text += message
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}

/// Every problem found, thrown at once.
public struct LocalProblems: Error, Sendable, CustomStringConvertible {
    public var problems: [LocalProblem]

    public init(_ problems: [LocalProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
