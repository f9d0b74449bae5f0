/// An evaluation error, as CUE reports it: its own message text, the field path and the
/// position of the source text that caused it.
public struct CUEError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A value is not concrete (yet): `incomplete value string`, a missing field in a
        /// reference. Existence tests treat it as bottom; export reports it.
        case incomplete
        /// A real conflict or invalid operation: `conflicting values 1 and 2`.
        case eval
        /// A structural cycle (`x: [x]`).
        case structuralCycle
        /// A limit of `CUELimits` was exceeded.
        case limit
    }

    public var kind: Kind
    public var message: String
    public var path: [String]
    public var position: CUEPosition

    public init(_ kind: Kind, _ message: String, path: [String] = [], at position: CUEPosition = .none) {
        self.kind = kind
        self.message = message
        self.path = path
        self.position = position
    }

    /// `path: message` then the position, like `cue export` prints it.
    public var description: String {
        let prefix = path.isEmpty ? "" : path.joined(separator: ".") + ": "
        let location = position == .none ? "" : "\n    \(position)"
        return prefix + message + location
    }
}

extension CUEError {
    /// This error placed at `position` if it has none yet: errors made where no source is known
    /// (an invalid regular expression in the regex cache) take the position of the expression
    /// that met them, so that every error a user sees points into their file.
    func located(at position: CUEPosition) -> CUEError {
        guard self.position == .none else { return self }
        var located = self
        located.position = position
        return located
    }
}
