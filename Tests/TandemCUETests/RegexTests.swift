import Testing
@testable import TandemCUE

struct RegexTests {
    func matches(_ pattern: String, _ text: String) throws -> Bool { try CUERegex(pattern).matches(text) }

    @Test func kubeVelaPatterns() throws {
        let quantity = "^([1-9][0-9]{0,63})(E|P|T|G|M|K|Ei|Pi|Ti|Gi|Mi|Ki)$"
        #expect(try matches(quantity, "10Gi"))
        #expect(try matches(quantity, "5M"))
        #expect(try !matches(quantity, "010Gi"))
        #expect(try !matches(quantity, "10Gib"))
        let name = "^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$"
        #expect(try matches(name, "a"))
        #expect(try matches(name, "my-app.v1"))
        #expect(try !matches(name, "-bad"))
        let time = #"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"#
        #expect(try matches(time, "2024-01-02T03:04:05.123Z"))
        #expect(try !matches(time, "2024-01-02 03:04:05Z"))
    }

    @Test func syntax() throws {
        #expect(try matches("b", "abc"))  // unanchored search
        #expect(try !matches("^b", "abc"))
        #expect(try matches(#"\d+\s\w"#, "x 12 y"))
        #expect(try matches("[^a-c]", "abd"))
        #expect(try !matches("[^a-c]", "abc"))
        #expect(try matches("(?:ab)+$", "xabab"))
        #expect(try matches("a{2,3}", "caab"))
        #expect(try !matches("^a{2,3}$", "aaaa"))
        #expect(try matches("colou?r", "color"))
        #expect(try matches("x|y|z", "--z"))
        #expect(try matches("a.c", "abc"))
        #expect(try matches("[.]", "a.b"))
        #expect(try !matches("[.]", "ab"))
        #expect(throws: CUEError.self) { try CUERegex("(a") }
        #expect(throws: CUEError.self) { try CUERegex("a**") }
        #expect(throws: CUEError.self) { try CUERegex("a{2000}") }
    }

    @Test func captures() throws {
        let regex = try CUERegex("(?P<key>[a-z]+)=(?P<value>[0-9]+)")
        let match = try #require(regex.firstMatch(in: "x: abc=123;"))
        #expect(match[0] == 3..<10)
        #expect(match[1] == 3..<6)
        #expect(match[2] == 7..<10)
        #expect(regex.groupNames == [1: "key", 2: "value"])
        // Leftmost-first, like RE2: the first alternative wins at the same start.
        #expect(try CUERegex("a|ab").firstMatch(in: "ab")?[0] == 0..<1)
        #expect(try CUERegex("a+?").firstMatch(in: "aaa")?[0] == 0..<1)
        #expect(try CUERegex("a+").firstMatch(in: "baaa")?[0] == 1..<4)
    }

    @Test func linearTimeOnPathologicalInput() throws {
        let text = String(repeating: "a", count: 20_000)
        #expect(try !matches("^(a|aa)+(a|aa)+b$", text))
        #expect(try !matches("(a*)*c", text))
    }
}
