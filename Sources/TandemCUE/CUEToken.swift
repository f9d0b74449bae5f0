/// A lexical token of CUE source.
struct CUEToken: Sendable {
    enum Kind: Sendable, Equatable {
        case ident(String)
        case keyword(String)  // package import for in if let
        case int(Int)
        case float(Double)
        /// A string literal: literal text and interpolated expression sources, alternating.
        case string([CUEStringPart], bytes: Bool)
        case attribute(String)
        case op(String)  // punctuation and operators
        case comma(implicit: Bool)
        case eof
    }

    var kind: Kind
    var position: CUEPosition
    /// The comment lines just before this token (without `//` and one space after it), and whether a blank line
    /// separates the last of them from the token (then they are not its doc comment).
    var comments: [String] = []
    var commentsDetached = false
}

/// A piece of a string literal before parsing: text, or the source of an interpolation.
enum CUEStringPart: Sendable, Equatable {
    case text(String)
    case interpolation(source: [UInt8], position: CUEPosition)
}
