import Testing
import TandemModel
@testable import TandemParsing

@Suite("YAML reader")
struct ReaderTests {
    func read(_ text: String, limits: ReadLimits = .default) -> ([YAMLNode], [Diagnostic]) {
        YAMLReader(limits: limits).read(Array(text.utf8), file: "t.yaml")
    }

    @Test("nodes carry 1-based lines and columns")
    func positions() throws {
        let (documents, problems) = read("a:\n  b: [1, two]\n")
        #expect(problems.isEmpty)
        let b = try #require(documents.first?["a"]?["b"])
        #expect(b.position == SourcePosition(line: 2, column: 6))
        #expect(b[1]?.position == SourcePosition(line: 2, column: 10))
        #expect(b[1]?.scalar?.text == "two")
    }

    @Test("quoted scalars stay strings")
    func quoted() throws {
        let (documents, _) = read("a: '8080'\nb: 8080\nc: !!str 12\n")
        #expect(documents[0]["a"]?.resolved == .string("8080"))
        #expect(documents[0]["b"]?.resolved == .int(8080))
        #expect(documents[0]["c"]?.resolved == .string("12"))
    }

    @Test("duplicate keys are errors at the second key")
    func duplicateKeys() {
        let (_, problems) = read("a: 1\nb: 2\na: 3\n")
        #expect(problems.map(\.description) == ["t.yaml:3:1: error: duplicate key 'a'; it is already set on line 1\n  hint: a mapping takes each key once (Kubernetes rejects duplicates too); remove one of them"])
        let many = (0..<40).map { "k\($0): \($0)\n" }.joined() + "k7: again\n"
        #expect(read(many).1.first?.message == "duplicate key 'k7'; it is already set on line 8")
    }

    @Test("aliases are expanded, within a budget")
    func aliases() throws {
        let (documents, problems) = read("base: &b {x: 1}\ncopy: *b\n")
        #expect(problems.isEmpty)
        #expect(documents[0]["copy"]?["x"]?.resolved == .int(1))
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<9 { bomb += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let refused = read(bomb).1
        #expect(refused.first?.code == "alias-expansion")
        #expect(refused.first?.location?.line != nil)
    }

    @Test("nesting deeper than the limit is refused")
    func depth() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(read(deep).1.first?.code == "too-deep")
    }

    @Test("syntax errors have a location", arguments: ["a: [1, 2", "a:\n\t- b", "a: 'open", "\u{0}"])
    func syntaxErrors(_ text: String) {
        let problems = read(text).1
        #expect(problems.count == 1)
        #expect(problems.first?.location != nil)
    }

    @Test("inputs over the size limit are refused before parsing")
    func sizeLimit() {
        var limits = ReadLimits.default
        limits.maxBytes = 10
        #expect(read("a: 123456789012345", limits: limits).1.first?.code == "input-too-large")
    }
}
