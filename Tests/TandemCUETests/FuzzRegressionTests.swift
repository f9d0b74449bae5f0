import Testing
@testable import TandemCUE

/// Inputs the CUE fuzz target (scripts/fuzz-cue.sh) found breaking a promise, each kept with
/// what it must give now.
struct FuzzRegressionTests {
    /// An invalid regular expression in a bound or a match: the error points at the expression.
    @Test func invalidRegexIsLocated() throws {
        let bound = try #require(try exportError("a: 1\nb: !~ \"(\""))
        #expect(bound.message.hasPrefix("error parsing regexp"))
        #expect(bound.position == CUEPosition(file: "test.cue", line: 2, column: 4))
        let match = try #require(try exportError("a: \"x\" =~ \"[\""))
        #expect(match.message.hasPrefix("error parsing regexp"))
        #expect(match.position.line == 1)
        #expect(match.position.file == "test.cue")
    }
}
