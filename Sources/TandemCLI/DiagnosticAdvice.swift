import TandemModel

/// Hints that name tandem's own flags and commands, added to diagnostics the libraries leave
/// without one: the libraries say what is wrong, in words that hold for the controller too.
enum DiagnosticAdvice {
    static func advised(_ diagnostic: Diagnostic) -> Diagnostic {
        guard diagnostic.hint == nil, let hint = hint(diagnostic) else { return diagnostic }
        var advised = diagnostic
        advised.hint = hint
        return advised
    }

    static func hint(_ diagnostic: Diagnostic) -> String? {
        switch diagnostic.code {
        case .inputTooLarge:
            return "raise the limit with --max-input-bytes if this input is expected"
        case .unknownTraitType where !diagnostic.message.contains("did you mean"):
            // With no close name to suggest, the list of them.
            return "tandem definitions lists the trait types"
        default:
            return nil
        }
    }
}
