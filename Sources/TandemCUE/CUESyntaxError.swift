/// One syntax error: where it is and what is wrong, in the form `file:line:col: message`.
public struct CUESyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var position: CUEPosition
    public var message: String

    public init(_ message: String, at position: CUEPosition) {
        self.message = message
        self.position = position
    }

    public var description: String { "\(position): \(message)" }
}

/// The syntax errors of one parse (the parser stops at the first, so there is usually one).
public struct CUESyntaxErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [CUESyntaxError]

    public init(_ errors: [CUESyntaxError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
