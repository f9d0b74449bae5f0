/// Something that keeps an application from running locally, found before anything starts:
/// named as Kubernetes would name it (`CreateContainerConfigError`, `ErrImagePull`), with what
/// to do about it.
public struct LocalProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// What it is about: `sidecar 'log-shipper' in pod app-0 (component 'app')`.
    public var subject: String
    /// Kubernetes' reason for the same problem, when it has one.
    public var reason: String?
    public var message: String
    public var hint: String?

    public init(_ subject: String, reason: String? = nil, _ message: String, hint: String? = nil) {
        self.subject = subject
        self.reason = reason
        self.message = message
        self.hint = hint
    }

    public var description: String {
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
