import TandemJSON
import TandemModel
import Testing
@testable import TandemParsing

@Suite("YAML reader")
struct ReaderTests {
    func read(_ text: String, limits: InputLimits = .default) -> ([ParsedDocument], [Diagnostic]) {
        YAMLReader(limits: limits).read(Array(text.utf8), file: "t.yaml")
    }

    @Test("values carry 1-based lines and columns in the source map")
    func positions() throws {
        let (documents, problems) = read("a:\n  b: [1, two]\n")
        #expect(problems.isEmpty)
        let document = try #require(documents.first)
        #expect(document.json == ["a": ["b": [1, "two"]]])
        #expect(document.source.position(of: ["a", "b"]) == SourcePosition(line: 2, column: 6))
        #expect(document.source.position(of: ["a", "b", 1]) == SourcePosition(line: 2, column: 10))
        #expect(document.source.keyPosition(of: ["a", "b"]) == SourcePosition(line: 2, column: 3))
        // A missing key is placed at the mapping that lacks it.
        #expect(document.source.position(of: ["a", "c"]) == SourcePosition(line: 2, column: 3))
        #expect(document.source.path(ofNode: try #require(document.source.node(at: ["a", "b", 1]))) == ["a", "b", 1])
    }

    @Test("plain scalars resolve by the YAML 1.2 core schema", arguments: [
        ("", ResolvedScalar.null), ("~", .null), ("null", .null), ("true", .bool(true)), ("False", .bool(false)),
        ("yes", .string("yes")), ("42", .int(42)), ("-7", .int(-7)), ("0x1F", .int(31)), ("0o17", .int(15)),
        ("1.5", .double(1.5)), ("1e3", .double(1000)), (".5", .double(0.5)), ("1Gi", .string("1Gi")),
        ("v1.0.0", .string("v1.0.0")), ("99999999999999999999", .integerOverflow("99999999999999999999")),
        ("0755", .int(755)), ("1_000", .string("1_000")),
    ])
    func scalarResolution(_ text: String, _ expected: ResolvedScalar) {
        #expect(ResolvedScalar.resolvePlain(text) == expected)
    }

    @Test("quoted scalars stay strings; tags are honoured")
    func quoted() throws {
        let (documents, _) = read("a: '8080'\nb: 8080\nc: !!str 12\nd: !!float 3\n")
        #expect(documents[0].json == ["a": "8080", "b": 8080, "c": "12", "d": .double(3)])
    }

    @Test("how scalars were written is kept for messages")
    func writtenForm() throws {
        let (documents, _) = read("a: 0x1F\nb: '0x1F'\nc: 0400\nd: 99999999999999999999\n")
        let source = documents[0].source
        let a = try #require(source.node(at: ["a"]))
        #expect(source.writtenText(of: a) == "0x1F")
        #expect(source.node(try #require(source.node(at: ["b"]))).flags.contains(.quoted))
        #expect(source.node(try #require(source.node(at: ["c"]))).flags.contains(.ambiguousOctal))
        #expect(source.node(try #require(source.node(at: ["d"]))).flags.contains(.integerOverflow))
    }

    @Test("duplicate keys are errors at the second key")
    func duplicateKeys() {
        let (_, problems) = read("a: 1\nb: 2\na: 3\n")
        #expect(problems.map(\.description) == ["t.yaml:3:1: error: duplicate key 'a'; it is already set on line 1\n  hint: a mapping takes each key once (Kubernetes rejects duplicates too); remove one of them"])
        let many = (0..<40).map { "k\($0): \($0)\n" }.joined() + "k7: again\n"
        #expect(read(many).1.first?.message == "duplicate key 'k7'; it is already set on line 8")
    }

    @Test("aliases are expanded, within a budget; their values point at the alias")
    func aliases() throws {
        let (documents, problems) = read("base: &b {x: 1}\ncopy: *b\n")
        #expect(problems.isEmpty)
        #expect(documents[0].json["copy"]?["x"] == 1)
        #expect(documents[0].source.position(of: ["copy"]) == SourcePosition(line: 2, column: 7))
        #expect(documents[0].source.position(of: ["copy", "x"]) == SourcePosition(line: 1, column: 14))
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<9 { bomb += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let refused = read(bomb).1
        #expect(refused.first?.code == .aliasExpansion)
        #expect(refused.first?.location?.line != nil)
    }

    @Test("a key that is a mapping is reported at its mapping's path")
    func complexKeys() {
        let (documents, problems) = read("a:\n  - {x: 1}: y\n    z: 2\n")
        #expect(problems.map(\.description) == ["t.yaml:2:5: error: a[0]: a mapping key must be a scalar, found a mapping"])
        #expect(documents.first?.json == ["a": [["z": 2]]])
    }

    @Test("nesting deeper than the limit is refused")
    func depth() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(read(deep).1.first?.code == .tooDeep)
    }

    @Test("syntax errors have a location", arguments: ["a: [1, 2", "a:\n\t- b", "a: 'open", "\u{0}"])
    func syntaxErrors(_ text: String) {
        let problems = read(text).1
        #expect(problems.count == 1)
        #expect(problems.first?.location != nil)
    }

    @Test("inputs over the size limit are refused before parsing")
    func sizeLimit() {
        var limits = InputLimits.default
        limits.maxBytes = 10
        let problem = read("a: 123456789012345", limits: limits).1.first
        #expect(problem?.code == .inputTooLarge)
        #expect(problem?.hint == nil, "the flag that raises the limit is the CLI's to name")
    }

    @Test("a stream hands out documents one at a time")
    func streaming() {
        let stream = YAMLDocumentStream(bytes: Array("---\na: 1\n---\nb: [\n---\nc: 3\n".utf8), file: "s.yaml", limits: .default)
        let first = stream.next()
        #expect(first?.document?.json == ["a": 1])
        let second = stream.next()
        #expect(second?.document == nil)
        #expect(second?.diagnostics.first?.code == .yamlSyntax)
        #expect(stream.next() == nil)
    }
}

extension ParsedDocument: Equatable {
    public static func == (lhs: ParsedDocument, rhs: ParsedDocument) -> Bool { lhs.json == rhs.json }
}
