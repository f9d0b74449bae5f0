import Foundation
import Testing
import TandemDefinitions
import TandemJSON
import TandemModel
import TandemTestSupport
@testable import TandemRendering

/// The JSON Schema of `tandem schema`, checked with Python's jsonschema (a second, independent
/// implementation): it accepts every valid fixture and example, and rejects every invalid fixture
/// whose problem a JSON Schema can express.
@Suite("JSON Schema for editors", Judges.needs(PythonTools.hasJSONSchemaAndYAML, PythonTools.missingJSONSchemaAndYAML))
struct JSONSchemaTests {
    /// Diagnostic codes that come from the schema alone (types, names, ranges, choices), not from
    /// rules across values, YAML syntax or rendering.
    static let expressible: Set<DiagnosticCode> = [
        .unknownProperty, .missingProperty, .typeMismatch, .invalidValue, .invalidFormat, .outOfRange,
        .conflictingChoice, .missingChoice, .conflictingProperties, .tooFewItems, .invalidQuantity,
        .invalidPort, .unknownComponentType, .unknownTraitType, .integerOverflow, .emptyTrait, .invalidPath, .noRoutes,
        .invalidProfile, .invalidThreshold,
    ]

    @Test("valid files pass, and invalid ones the schema can express fail")
    func schemaAgreesWithTandem() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-schema-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let schema = directory.appendingPathComponent("schema.json")
        try JSONWriter.write(JSONSchemaWriter.applicationSchema(registry: .builtIn)).write(to: schema, atomically: true, encoding: .utf8)

        var valid = FixtureCase.all(in: "Golden").map { $0.file("app.yaml").path }
        for (index, example) in CatalogTests.examples.enumerated() {
            let file = directory.appendingPathComponent("example-\(index).yaml")
            try example.text.write(to: file, atomically: true, encoding: .utf8)
            valid.append(file.path)
        }
        var invalid: [String] = []
        for fixture in FixtureCase.all(in: "Invalid") {
            let result = try fixture.render().result
            let codes = Set(result.diagnostics.filter(\.isError).map(\.code))
            guard !codes.isEmpty, codes.isSubset(of: Self.expressible) else { continue }
            invalid.append(fixture.file("app.yaml").path)
        }
        #expect(invalid.count >= 15, "too few invalid fixtures are schema-expressible: \(invalid.count)")
        let script = PackagePaths.root.appendingPathComponent("Tests/TandemRenderingTests/json_schema_check.py").path
        let run = try runProcess([PythonTools.python, script, schema.path] + valid + ["--"] + invalid)
        #expect(run.status == 0, "\(run.output)")
    }

}
