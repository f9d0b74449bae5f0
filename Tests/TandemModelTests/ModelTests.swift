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
}
