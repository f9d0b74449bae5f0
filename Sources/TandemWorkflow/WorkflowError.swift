/// A workflow command or a persisted status that cannot be used, in words for the user.
public struct WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
