import Testing
import TandemModel
@testable import TandemRendering

@Suite("YAML writer")
struct YAMLWriterTests {
    static let awkward = ["", " ", "yes", "No", "ON", "~", "null", "-", "-1", "- a", "-a", "?", "? a", ":", "a:", "a: b", "a:b",
                          "#", "a #b", "a#b", "[x]", "{x}", "x,y", "&a", "*a", "!tag", "|", ">", "'", "\"", "%", "@", "`",
                          "0", "00", "0x1F", "0o7", "1_000", "1e3", "1.0", ".5", "-.inf", ".NaN", "12:30", "2024-01-02",
                          "2024-01-02T10:00:00Z", "line\nbreak", "tab\t", "\u{7}", "é", "\u{2028}", "<<", "=", "true", "TRUE",
                          "1Gi", "500m", "v1.2.3", "http://x:80/a", "C:\\path"]

    @Test("every string reads back as the same string", arguments: awkward)
    func roundTrip(_ text: String) throws {
        let value: JSONValue = ["key": .string(text), "list": [.string(text)], .init(stringLiteral: text): 1]
        let yaml = YAMLWriter.document(value)
        let reread = try rereadDocuments(yaml)
        #expect(reread == [value], "\(yaml)")
    }

    @Test("numbers, booleans, null and empty collections")
    func scalars() throws {
        let value: JSONValue = ["i": 42, "d": .double(1.0), "b": true, "n": nil, "a": [], "o": .object(JSONObject())]
        // "n" is a boolean to YAML 1.1 readers, so even as a key it is quoted.
        #expect(YAMLWriter.document(value) == "i: 42\nd: 1.0\nb: true\n\"n\": null\na: []\no: {}\n")
        #expect(try rereadDocuments(YAMLWriter.document(value)) == [value])
    }

    @Test("nested lists and mappings")
    func nesting() throws {
        let value: JSONValue = ["a": [[1, 2], ["k": "v", "l": ["x"]], []]]
        #expect(try rereadDocuments(YAMLWriter.document(value)) == [value])
    }
}
