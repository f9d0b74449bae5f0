import TandemJSON
@testable import TandemCUE
import Testing

/// A field that is only a reference to a settled value shares that value's evaluation; anything
/// else unified in, or a value not settled, is evaluated in place as before.
struct StructureSharingTests {
    static let source = """
        parameter: {
        \tprobe?: #Probe
        \tenv?: [...{name: string, value?: string}]
        }
        #Probe: {
        \tperiodSeconds: *10 | int
        \tfailureThreshold: *3 | int
        \texec?: command: [...string]
        }
        out: {
        \tprobe: parameter.probe
        \tenv: parameter.env
        }
        extended: parameter.env[0]
        extended: extra: 1
        closed: #Probe
        closed: extra: 1
        """
    static let parameter: JSONValue = [
        "probe": ["periodSeconds": 5, "exec": ["command": ["true"]]],
        "env": [["name": "A", "value": "1"], ["name": "B"]],
    ]

    @Test func aReferenceToASettledValueIsNotEvaluatedAgain() throws {
        let context = CUEContext()
        let root = try context.evaluate(source: Self.source, injecting: [(["parameter"], Self.parameter)])
        let parameter = try #require(root.lookup(["parameter"]))
        guard case .value = parameter.exportCollectingErrors() else { Issue.record("the parameter does not export"); return }
        var start = context.steps
        _ = try parameter.export()
        let walk = context.steps - start  // exporting what is already evaluated

        start = context.steps
        let out = try #require(root.lookup(["out"])).export()
        let spent = context.steps - start
        #expect(out == (try parameter.export()))
        // The walk, and `out` and its two fields evaluated (a few steps each): nothing under
        // them is evaluated again (that would be more than 40 steps: two disjunctions, each
        // tried twice, and a dozen fields).
        #expect(spent <= walk + 10, "\(spent) steps, a walk is \(walk)")
    }

    @Test func anythingElseUnifiedInIsEvaluatedInPlace() throws {
        let injected = [(["parameter"], Self.parameter)]
        #expect(try export(Self.source, ["extended"], injecting: injected) == ["name": "A", "value": "1", "extra": 1])
        // A definition closes what refers to it: never shared.
        let error = try #require(try exportError(Self.source, ["closed"], injecting: injected))
        #expect(error.message == "field not allowed" && error.path == ["closed", "extra"], "\(error)")
    }

    /// A value with an error is not shared: the error is reported at the referring field.
    @Test func aValueWithAnErrorIsEvaluatedInPlace() throws {
        let source = "a: {x: 1, y: x & 2}\nb: a"
        let context = CUEContext()
        let root = try context.evaluate(source: source)
        _ = root.lookup(["a"])?.errors()
        let error = try #require(root.lookup(["b"])?.errors().first)
        #expect(error.path == ["b", "y"], "\(error)")
    }
}
