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

    /// Injected data is evaluated in one step a value: it has nothing to expand. Exporting it
    /// then takes one step a value more.
    @Test func injectedDataTakesOneStepAValue() throws {
        let context = CUEContext()
        let data: JSONValue = ["name": "side", "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]]]
        let value = try context.evaluate(source: "x: 1\n", injecting: [(["data"], data)])
        let root = try #require(value.lookup(["data"]))
        let before = context.steps
        #expect(try root.export() == data)
        let values = 1 + 2 + 2 * (1 + 2)  // data, name, env; each element and its two fields
        #expect(context.steps - before == 2 * values)
    }

    /// A directive's line is trimmed of the spaces and tabs around it, and of nothing else.
    @Test func directiveLinesAreTrimmedOfBlanks() {
        #expect(PatchDirectives.trimmed(" \t+patchKey=name \t") == "+patchKey=name")
        #expect(PatchDirectives.trimmed("+patchStrategy=retainKeys") == "+patchStrategy=retainKeys")
        #expect(PatchDirectives.trimmed(" \t ") == "")
        var directives = PatchDirectives()
        directives.apply(["\t +patchKey=ip  ", " +patchStrategy=replace\t"])
        #expect(directives.patchKey == "ip")
        #expect(directives.strategy == .replace)
    }

    /// A directive's value is what follows its name, read on bytes.
    @Test func directiveValuesFollowTheirName() {
        #expect(PatchDirectives.text(after: "+patchKey=", in: "+patchKey=name") == "name")
        #expect(PatchDirectives.text(after: "+patchKey=", in: "+patchKey=") == "")
        #expect(PatchDirectives.text(after: "+patchKey=", in: "+patchKey") == nil)
        #expect(PatchDirectives.text(after: "+patchKey=", in: "+patchStrategy=replace") == nil)
        #expect(PatchDirectives.text(after: "+patchKey=", in: "+patchKey=n\u{e9}e") == "n\u{e9}e")
        var directives = PatchDirectives()
        directives.apply(["+patchKey", "+patchStrategy=nonsense", "+patchKey=containerPort"])
        #expect(directives.patchKey == "containerPort")
        #expect(directives.strategy == nil)
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

    /// Validation evaluates the parameters once and keeps what CUE settled them to; rendering
    /// starts from that and does not evaluate the template's `parameter` declaration again: it
    /// costs what the same template without that declaration costs.
    @Test func renderingStartsFromTheParametersValidationSettled() throws {
        let source = try Self.trait(Self.template)
        var parameters = Parameters(["name": "side", "probe": ["periodSeconds": 5]])
        #expect(CUEDefinitionSchema.check(&parameters, source, scope: DiagnosticScope(log: DiagnosticLog(), source: nil)))
        let settled: JSONValue = ["name": "side", "probe": ["periodSeconds": 5, "failureThreshold": 3]]
        #expect(parameters.settled == settled)

        let run = TemplateRun(source, parameters: parameters, context: JSONObject(), limits: .default,
                              scope: DiagnosticScope(log: DiagnosticLog(), source: nil))
        let before = run.value.context.steps
        #expect(run.checkParameters())
        #expect(run.value.context.steps == before, "checking settled parameters again evaluated \(run.value.context.steps - before) steps")
        #expect(run.export(["patch"]) == ["spec": ["containers": [["name": "side", "image": "x"]]]])
        #expect(run.export(["parameter"]) == settled)

        // The same template with no declaration of `parameter`, given the settled value.
        let undeclared = Self.template.replacingOccurrences(of: "parameter: {\n\tname: string\n\tprobe?: #Probe\n}\n", with: "")
        #expect(undeclared != Self.template)
        let bare = TemplateRun(try Self.trait(undeclared), parameters: settled, context: JSONObject(), limits: .default,
                               scope: DiagnosticScope(log: DiagnosticLog(), source: nil))
        #expect(bare.export(["patch"]) == ["spec": ["containers": [["name": "side", "image": "x"]]]])
        #expect(bare.export(["parameter"]) == settled)
        #expect(run.value.context.steps == bare.value.context.steps)
    }

    /// Parameters whose value may depend on `context` are not settled before rendering, which
    /// fills it in: rendering evaluates them with it.
    @Test func parametersReadingContextAreNotSettled() throws {
        let source = try Self.trait("patch: {}\nparameter: name: *context.name | \"fallback\"\n")
        var parameters = Parameters(JSONValue.object(JSONObject()))
        _ = CUEDefinitionSchema.check(&parameters, source, scope: DiagnosticScope(log: DiagnosticLog(), source: nil))
        #expect(parameters.settled == nil)
        let run = TemplateRun(source, parameters: parameters, context: ["name": "from-context"], limits: .default,
                              scope: DiagnosticScope(log: DiagnosticLog(), source: nil))
        #expect(run.export(["parameter"]) == ["name": "from-context"])
    }

    /// Parameters holding a definition or a hidden field, which their JSON leaves out, are not
    /// settled: the template may read those.
    @Test func parametersWithFieldsJSONLeavesOutAreNotSettled() throws {
        let source = try Self.trait("patch: {}\nparameter: {name: string, _upper: name + \"!\"}\noutput: {x: parameter._upper}\n")
        var parameters = Parameters(["name": "side"])
        #expect(CUEDefinitionSchema.check(&parameters, source, scope: DiagnosticScope(log: DiagnosticLog(), source: nil)))
        #expect(parameters.settled == nil)
        let run = TemplateRun(source, parameters: parameters, context: JSONObject(), limits: .default,
                              scope: DiagnosticScope(log: DiagnosticLog(), source: nil))
        #expect(run.export(["output"]) == ["x": "side!"])
    }

    /// Values changed after validation are not the ones it settled.
    @Test func changedValuesAreNoLongerSettled() throws {
        var parameters = Parameters(["name": "side"])
        #expect(CUEDefinitionSchema.check(&parameters, try Self.trait(Self.template), scope: DiagnosticScope(log: DiagnosticLog(), source: nil)))
        #expect(parameters.settled != nil)
        parameters.values = ["name": "other"]
        #expect(parameters.settled == nil)
    }

    static func trait(_ template: String) throws -> CUEDefinitionSource {
        let loaded = DefinitionLoader().load(bytes: Array("side: {type: \"trait\"}\ntemplate: {\n\(template)\n}\n".utf8), file: "side.cue")
        return try #require(loaded.definitions.first)
    }
}
