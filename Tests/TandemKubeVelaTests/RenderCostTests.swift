@testable import TandemCUE
import TandemJSON
@testable import TandemKubeVela
import TandemModel
import Testing

/// Rendering through a CUE definition does each piece of work once: what these tests count
/// are evaluation steps, which every vertex evaluated or exported adds to.
struct RenderCostTests {
    static let template = """
        patch: {
        \t// +patchKey=name
        \tspec: containers: [{name: parameter.name, image: "x"}]
        \tprobe?: #Probe
        }
        parameter: {
        \tname: string
        \tprobe?: #Probe
        }
        #Probe: {
        \tperiodSeconds: *10 | int
        \tfailureThreshold: *3 | int
        \texec?: command: [...string]
        }
        """

    /// Reading the patch's `+patchKey` and `+patchStrategy` comments evaluates nothing that
    /// exporting the patch did not: an optional field is left out of the patch, so its schema
    /// is not read.
    @Test func patchDirectivesReadOnlyWhatThePatchHolds() throws {
        let context = CUEContext()
        let value = try context.evaluate(source: Self.template, injecting: [(["parameter"], ["name": "side"])])
        let patch = try #require(value.lookup(["patch"]))
        #expect(try patch.export() == ["spec": ["containers": [["name": "side", "image": "x"]]]])
        let exported = context.steps
        let directives = PatchDirectives.read(patch)
        #expect(context.steps == exported, "reading the directives evaluated \(context.steps - exported) more steps")
        #expect(directives.fields["spec"]?.fields["containers"]?.patchKey == "name")
    }

    /// A template's value is exported in one walk that also collects its errors, not a walk
    /// for the errors and another for the value.
    @Test func templateValuesExportInOneWalk() throws {
        let loaded = DefinitionLoader().load(bytes: Array("side: {type: \"trait\"}\ntemplate: {\n\(Self.template)\n}\n".utf8), file: "side.cue")
        let source = try #require(loaded.definitions.first)
        let parameters: JSONValue = ["name": "side", "probe": ["periodSeconds": 5]]
        let run = TemplateRun(source, parameters: parameters, context: JSONObject(), limits: .default,
                              scope: DiagnosticScope(log: DiagnosticLog(), source: nil))
        _ = run.value.lookup(["parameter"])
        let before = run.value.context.steps
        #expect(run.export(["parameter"]) == ["name": "side", "probe": ["periodSeconds": 5, "failureThreshold": 3]])
        let spent = run.value.context.steps - before

        // The same evaluation, exported once by hand.
        let context = CUEContext(limits: CUELimits(maxDepth: max(InputLimits.default.maxDepth * 2, 200)))
        let value = context.evaluate([source.template], injecting: [(["parameter"], parameters), (["context"], .object(JSONObject()))])
        let parameter = try #require(value.lookup(["parameter"]))
        let start = context.steps
        guard case .value = parameter.exportCollectingErrors() else { Issue.record("the parameter does not export"); return }
        #expect(spent == context.steps - start)
    }
}
