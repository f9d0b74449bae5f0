import Foundation
import TandemJSON
import TandemModel
import TandemTestSupport
import Testing
@testable import TandemRendering

@Suite("YAML writer")
struct YAMLWriterTests {
    /// Strings that a YAML 1.1 or 1.2 reader could take for something else: words that are
    /// booleans or nulls in YAML 1.1, octal-, float-, hex- and time-looking numbers, indicators.
    static let awkward = ["", " ", "yes", "No", "ON", "off", "y", "N", "~", "null", "-", "-1", "- a", "-a", "?", "? a", ":", "a:", "a: b",
                          "a:b", "#", "a #b", "a#b", "[x]", "{x}", "x,y", "&a", "*a", "!tag", "|", ">", "'", "\"", "%", "@", "`",
                          "0", "00", "010", "0777", "0o7", "0x1F", "1_000", "1e3", "1E3", "1.0", ".5", "5.", "+1", "-.inf", ".NaN",
                          "12:30", "1:20:30", "2024-01-02", "2024-01-02T10:00:00Z", "line\nbreak", "tab\t", "\u{7}", "é",
                          "\u{2028}", "<<", "=", "true", "TRUE", "1Gi", "500m", "v1.2.3", "http://x:80/a", "C:\\path"]

    /// Characters YAML does not allow raw, and those a reader could take for a line break or a
    /// byte-order mark: each must come out escaped.
    static let unprintable = ["a\u{8F}b", "a\u{80}", "\u{9F}", "x\u{85}y", "\u{7F}", "\u{1}", "\u{1B}[0m", "a\u{FEFF}b",
                              "\u{FFFE}", "\u{FFFF}", "\u{2029}", "\r\n"]

    /// Multi-line text, written as literal blocks where a block holds it exactly.
    static let multiline = ["a\nb\n", "a\nb", "a\n\n\n", "  indented\nx", "x\n  y\n", "#!/bin/sh\necho \"hi\"\n", "a\tb\nc",
                            "tab\n\tstart", "trailing \nspace", "a\r\nb", "é\nü\n", "- item\n- item", "key: value\nother: 1",
                            "---\n...\n", "\n\nleading", "a\n\nb", "x\n\u{85}y"]

    @Test("multi-line text comes out as a literal block where one holds it")
    func blocks() {
        #expect(YAMLWriter.document(["s": "#!/bin/sh\necho hi\n"]) == "s: |\n  #!/bin/sh\n  echo hi\n")
        #expect(YAMLWriter.document(["s": "a\nb"]) == "s: |-\n  a\n  b\n")
        #expect(YAMLWriter.document(["s": "a\n\n"]) == "s: |+\n  a\n\n")
        #expect(YAMLWriter.document(["l": ["a\nb\n"]]) == "l:\n  - |\n    a\n    b\n")
        #expect(YAMLWriter.document(["s": "a \nb"]) == "s: \"a \\nb\"\n")
    }

    @Test("every string reads back as the same string", arguments: awkward + unprintable + multiline)
    func roundTrip(_ text: String) throws {
        let value: JSONValue = ["key": .string(text), "list": [.string(text)], .init(stringLiteral: text): 1]
        let yaml = YAMLWriter.document(value)
        let reread = try rereadDocuments(yaml)
        #expect(reread == [value], "\(yaml)")
    }

    @Test("characters YAML does not allow raw are escaped", arguments: unprintable)
    func escapes(_ text: String) {
        let yaml = YAMLWriter.document(["key": .string(text)])
        for scalar in yaml.unicodeScalars where scalar.value != 0x0A {
            #expect(!JSONWriter.needsEscape(scalar.value) && scalar.value >= 0x20, "raw U+\(String(scalar.value, radix: 16)) in \(yaml)")
        }
    }

    @Test("PyYAML (a YAML 1.1 reader, as kubectl's is) reads every string back unchanged",
          Judges.needs(PythonTools.hasJSONSchemaAndYAML, PythonTools.missingJSONSchemaAndYAML))
    func pyYAMLReadsTheSame() throws {
        let strings = Self.awkward + Self.unprintable + Self.multiline
        let yaml = YAMLWriter.document(.array(strings.map { ["key": .string($0)] }))
        let script = """
            import sys, json, yaml
            data = yaml.safe_load(sys.stdin.read())
            print(json.dumps([item["key"] for item in data]))
            """
        let run = try runProcess([PythonTools.python, "-c", script], stdin: yaml)
        #expect(run.status == 0, "\(run.stderr)")
        let read = try JSONReader().read(run.stdout)
        #expect(read == .array(strings.map(JSONValue.string)), "PyYAML read: \(run.stdout)")
    }

    @Test("kubectl (YAML 1.1, sigs.k8s.io/yaml) reads every string back unchanged",
          Kubectl.isNeeded)
    func kubectlReadsTheSame() throws {
        let strings = Self.awkward + Self.unprintable + Self.multiline
        var data = JSONObject()
        for (index, text) in strings.enumerated() { data["k\(index)"] = .string(text) }
        let yaml = YAMLWriter.document(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "strings"], "data": .object(data)])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-kubectl-\(getpid()).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let kubectl = try Kubectl.require()
        let run = try runProcess([kubectl, "label", "--local", "-f", file.path, "checked=yes", "--dry-run=client", "-o", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let read = try JSONReader().read(run.stdout)["data"]?.object ?? JSONObject()
        // kubectl writes keys sorted: compare key by key.
        #expect(read.count == data.count)
        for member in data { #expect(read[member.key] == member.value, "\(member.key): \(member.value)") }
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
