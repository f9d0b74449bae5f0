import TandemJSON
import Testing
@testable import TandemModel

@Suite("Field paths, scalars, formats")
struct ModelTests {
    @Test("paths print as users read them")
    func fieldPaths() {
        let path: FieldPath = ["spec", "components", 0, "traits", 1, "properties", "image"]
        #expect(path.description == "components[0].traits[1].properties.image")
        #expect(FieldPath(["metadata", "labels", "app.oam.dev/name"]).description == "metadata.labels[\"app.oam.dev/name\"]")
        #expect(FieldPath(["spec"]).description == "spec")
    }

    @Test("DNS-1123 labels and subdomains")
    func names() {
        #expect(StringFormat.dns1123Label.violation(in: "my-comp") == nil)
        #expect(StringFormat.dns1123Label.violation(in: "My-comp") != nil)
        #expect(StringFormat.dns1123Label.violation(in: "-a") != nil)
        #expect(StringFormat.dns1123Label.violation(in: String(repeating: "a", count: 64)) != nil)
        #expect(StringFormat.dns1123Subdomain.violation(in: "a.b-c.d") == nil)
        #expect(StringFormat.dns1123Subdomain.violation(in: "a..b") != nil)
        #expect(StringFormat.envVarName.violation(in: "JAVA_OPTS") == nil)
        #expect(StringFormat.envVarName.violation(in: "1X") != nil)
    }

    @Test("Ingress host names: subdomains, and wildcards of them")
    func hostNames() {
        #expect(StringFormat.hostName.violation(in: "shop.example.com") == nil)
        #expect(StringFormat.hostName.violation(in: "*.example.com") == nil)
        #expect(StringFormat.hostName.violation(in: "a.*.example.com") != nil)
        #expect(StringFormat.hostName.violation(in: "*") != nil)
    }

    @Test("workflow steps are read with their sub-steps and where each is written")
    func workflowSteps() throws {
        let document: JSONValue = [
            "apiVersion": "core.oam.dev/v1beta1", "kind": "Application", "metadata": ["name": "a"],
            "spec": [
                "components": [["name": "c", "type": "worker"]],
                "workflow": ["steps": [
                    ["name": "one", "type": "suspend"],
                    ["name": "group", "type": "step-group", "subSteps": [["name": "inner", "type": "apply-component",
                                                                          "properties": ["component": "c"]]]],
                ]],
            ],
        ]
        let envelope = try #require(ApplicationDecoder.decode(document, source: nil, log: DiagnosticLog()))
        #expect(envelope.isValid)
        #expect(envelope.workflow.map(\.name) == ["one", "group"])
        let inner = try #require(envelope.workflow.last?.subSteps.first)
        #expect(inner.path.description == "workflow.steps[1].subSteps[0]")
        #expect(envelope.workflow.flatMap(\.flattened).map(\.name) == ["one", "group", "inner"])
    }

    @Test("resource quantities", arguments: [
        ("500m", true), ("0.5", true), ("1", true), ("128Mi", true), ("1Gi", true), ("1e3", true), ("1.5E-2", true),
        ("+2", true), ("-1", false), ("1.5 cores", false), ("Gi", false), ("", false), ("1GB", false), ("1ki", false),
    ])
    func quantities(_ text: String, _ valid: Bool) {
        #expect(Quantity.isValid(text) == valid)
    }

    @Test("did you mean")
    func suggestions() {
        #expect(Suggestion.closest(to: "imagee", among: ["image", "cmd"]) == "image")
        #expect(Suggestion.closest(to: "sidcar", among: ["sidecar", "scaler"]) == "sidecar")
        #expect(Suggestion.closest(to: "zzz", among: ["image", "cmd"]) == nil)
    }

    @Test("large objects keep their order and find keys through their index")
    func largeObjects() {
        var object = JSONObject()
        for index in 0..<100 { object["k\(index)"] = .int(index) }
        #expect(object["k77"] == 77)
        object["k10"] = nil
        #expect(object["k10"] == nil)
        #expect(object["k11"] == 11)
        #expect(object.index(of: "k11") == 10)
        object.insert("first", 0, before: ["k0"])
        #expect(object.index(of: "first") == 0)
        #expect(object["k99"] == 99)
        #expect(object.keys.count == 100)
        #expect(object == JSONObject(object.members))
    }

    @Test("ordered objects keep insertion order and replace in place")
    func orderedObjects() {
        var object = JSONObject()
        object["b"] = 1
        object["a"] = 2
        object["b"] = 3
        #expect(object.keys == ["b", "a"])
        #expect(object["b"] == 3)
        object["b"] = nil
        #expect(object.keys == ["a"])
        object.insert("z", 0, following: ["z", "a"])
        #expect(object.keys == ["z", "a"])
    }

    @Test("the JSON reader reads what the writer writes, keys in order")
    func jsonRoundTrip() throws {
        let value: JSONValue = ["b": 1, "a": [true, nil, .double(2.5), "x\u{8F}\"\\\n"], "big": .double(1e30), "e": .object(JSONObject())]
        #expect(try JSONReader().read(JSONWriter.write(value)) == value)
        #expect(try JSONReader().read(JSONWriter.compact(value)) == value)
        #expect(try JSONReader().read("{\"s\": \"\\ud83d\\ude00 \\u00e9\"}") == ["s": "😀 é"])
        #expect(try JSONReader().read("12345678901234567890123") == .double(12345678901234567890123))
        #expect(throws: JSONReader.Failure.self) { try JSONReader().read("{\"a\": }") }
        #expect(throws: JSONReader.Failure.self) { try JSONReader().read(String(repeating: "[", count: 1000)) }
    }

    @Test("compact JSON escapes what YAML readers need escaped, and copies plain text as it is")
    func compactEscapes() {
        let value: JSONValue = ["plain": "busybox:1.36", "quote": "say \"hi\" \\ bye", "controls": "a\u{7}\t\u{7F}\u{85}",
                                "unicode": "é 😀 \u{FEFF}\u{2028}", "n": 12, "d": .double(0.5), "t": true, "z": nil, "list": [1, "x"]]
        let expected = #"{"plain":"busybox:1.36","quote":"say \"hi\" \\ bye","controls":"a\u0007\t\u007F\u0085","#
            + #""unicode":"é 😀 \uFEFF\u2028","n":12,"d":0.5,"t":true,"z":null,"list":[1,"x"]}"#
        #expect(JSONWriter.compact(value) == expected)
        #expect(JSONWriter.compactBytes(value) == Array(expected.utf8))
    }

    @Test("validating JSON reports paths and fills defaults")
    func validation() throws {
        let schema = Schema.object("", [
            .required("image", .string()),
            .optional("replicas", .integer(range: 0...10, default: 1)),
            .optional("port", .port()),
        ])
        let log = DiagnosticLog()
        let scope = DiagnosticScope(log: log, source: nil, path: ["spec", "x"])
        let valid = try #require(SchemaValidator.validate(["image": "nginx", "port": "http"], against: schema, in: scope))
        #expect(valid.value == ["image": "nginx", "replicas": 1, "port": "http"])
        #expect(valid.defaultedKeys == ["replicas"])
        #expect(SchemaValidator.validate(["replicas": 20, "imag": "x"], against: schema, in: scope) == nil)
        #expect(log.diagnostics.map(\.description) == [
            "error: x.replicas: 20 is out of range: must be from 0 to 10",
            "error: x.imag: unknown property 'imag'; did you mean 'image'?",
            "error: x: missing required property 'image'",
        ])
    }

    @Test("the note on problems left out is an error only when an error was left out")
    func diagnosticCap() {
        var report = DiagnosticReport(limit: 2)
        for line in 1...3 { report.add(Diagnostic(.warning, code: .implicitVolume, "w", location: SourceLocation(file: "a", line: line, column: 1))) }
        #expect(!report.hasErrors)
        #expect(report.sorted.last?.severity == .warning)
        report.add(Diagnostic(.error, code: .typeMismatch, "e", location: SourceLocation(file: "a", line: 9, column: 1)))
        #expect(report.sorted.last?.severity == .error)
        #expect(report.sorted.last?.location?.line == 3)
    }
}
