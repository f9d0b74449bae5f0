import Testing
import TandemJSON
@testable import TandemCUE

/// Hostile input ends in a located limit error, quickly, never a crash or a hang.
struct LimitsTests {
    @Test func multiplyingDisjunctions() throws {
        let terms = Array(repeating: "(1 | 2 | 3)", count: 30).joined(separator: " & ")
        let error = try exportError("a: \(terms)")
        #expect(error?.kind == .limit)
        #expect(error?.message.contains("combinations of disjunctions") == true)
        #expect(error?.position.line == 1)
    }

    @Test func hugeComprehensions() throws {
        let error = try exportError("""
            xs: [for i, _ in [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] {i}]
            ys: [for a in xs for b in xs for c in xs for d in xs for e in xs {a}]
            """, ["ys"], limits: CUELimits(maxListLength: 5_000))
        #expect(error?.kind == .limit)
        #expect(error?.message.contains("5000") == true)
    }

    @Test func stringRepetitionAndDoubling() throws {
        #expect(try exportError("a: \"ab\" * 1000000000000")?.kind == .limit)
        var source = "a0: \"xxxxxxxxxxxxxxxx\"\n"
        for index in 1...40 { source += "a\(index): a\(index - 1) + a\(index - 1)\n" }
        let error = try exportError(source, ["a40"], limits: CUELimits(maxStringLength: 1 << 16))
        #expect(error?.kind == .limit)
        #expect(error?.message == "string longer than 65536 bytes")
    }

    @Test func exponentialStructsHitTheStepLimit() throws {
        var source = "a0: {x: 1, y: 2}\n"
        for index in 1...40 { source += "a\(index): {l: a\(index - 1), r: a\(index - 1)}\n" }
        let error = try exportError(source, ["a40"], limits: CUELimits(maxSteps: 200_000))
        #expect(error?.kind == .limit)
    }

    @Test func deepReferenceChainsAreBounded() throws {
        var source = "a0: 1\n"
        for index in 1...5_000 { source += "a\(index): a\(index - 1) + 1\n" }
        #expect(try exportError(source, ["a5000"])?.kind == .limit)
        #expect(try export(source, ["a40"]) == 41)
        var nested = "a0: {v: 1}\n"
        for index in 1...5_000 { nested += "a\(index): {n: a\(index - 1)}\n" }
        #expect(try exportError(nested, ["a5000"])?.kind == .limit)
    }

    @Test func longChainsAreBoundedOrIterative() throws {
        let branches = (0..<1_000).map { "\"v\($0)\"" }.joined(separator: " | ")
        #expect(try export("a: \(branches)\na: \"v999\"") == ["a": "v999"])
        let tooMany = (0..<10_000).map { "\"v\($0)\"" }.joined(separator: " | ")
        #expect(try exportError("a: \(tooMany)")?.message == "more than 1024 combinations of disjunctions")
        let selectors = "a: b" + String(repeating: ".b", count: 10_000)
        #expect(try exportError(selectors)?.kind == .limit)
        let sums = "a: " + Array(repeating: "1", count: 10_000).joined(separator: " + ")
        #expect(try exportError(sums)?.kind == .limit)
    }

    /// Found by generating programs: disjuncts checked inside disjuncts checked inside
    /// evaluations once recursed without a shared depth bound (a stack overflow) or step count.
    @Test func nestedDisjunctChecksShareTheBounds() throws {
        let source = #"""
            a: {x: [for k, v in d {v}], y: *len([for k, v in _h {v}]) | *{x: 1, y: 1} | {d}}
            b: {x: [{for k, v in d {"\(k)": v}}, ...{for k, v in d {"\(k)": v}}], y: close({x: int + 1 & {if a.b != _|_ {z: null}}})}
            c: [for k, v in a {v}] + close({x: [*"s" | a.b, ...a.b]})
            d: [for k, v in a {v}]
            #D: {if a != _|_ {z: [for k, v in e.x {v}]}} & {for k, v in _h {"\(k)": v}} & [b, ...{if c != _|_ {z: _}}]
            e: {x: c & b, y: close({x: *null | string & close({x: int})})}
            _h: *len([{if a.b != _|_ {z: "s"}}, ...b]) | **"\(1)" | {x: int, y: a.b} | "\({#D})"
            """#
        let root = try CUEContext(limits: CUELimits(maxSteps: 100_000)).evaluate(source: source)
        let errors = root.errors()
        #expect(!errors.isEmpty)
    }

    @Test func rangeAndRegexInputsAreBounded() throws {
        #expect(try exportError("import \"list\"\na: list.Range(0, 1000000000, 1)")?.message.contains("list too long") == true)
        // A pattern that makes backtracking matchers take exponential time is linear here.
        let text = String(repeating: "a", count: 5_000) + "!"
        let value = try export("a: \"\(text)\" =~ \"^(a+)+$\"")
        #expect(value == ["a": false])
    }
}
