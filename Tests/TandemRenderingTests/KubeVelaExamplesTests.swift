import Foundation
import TandemJSON
import TandemModel
import TandemTestSupport
import Testing
@testable import TandemRendering

/// KubeVela's own examples — its documentation examples for every definition Tandem has, and its
/// usage examples — copied into `KubeVela/` (each folder's `source` names where from). Each renders
/// as recorded in `expected.yaml`, or is refused exactly as the reference manual says.
@Suite("KubeVela's examples")
struct KubeVelaExamplesTests {
    static let cases = FixtureCase.all(in: "KubeVela")
    static let refusedNames = Set(KubeVelaCompatibility.refusals.map(\.example))
    static let rendered = cases.filter { !refusedNames.contains($0.name) }
    static let refused = cases.filter { refusedNames.contains($0.name) }
    /// Examples whose objects name live objects (take-over adopts them as they are).
    static let adoptsLiveObjects: Set<String> = ["policy-take-over"]

    @Test("the KubeVela folder holds the examples, each with its source")
    func hasCases() {
        expectCases(Self.cases, in: "KubeVela", atLeast: 60)
        for fixture in Self.cases {
            #expect(fixture.read("source")?.hasPrefix("kubevela/kubevela@") == true, "\(fixture.name) names no source")
        }
    }

    @Test("renders as recorded", arguments: rendered)
    func renders(_ fixture: FixtureCase) throws {
        let (output, diagnostics, result) = try fixture.render()
        #expect(!result.hasErrors, "\(diagnostics)")
        expectMatchesFile(output, "expected.yaml", of: fixture)
        expectMatchesFile(diagnostics, "expected.stderr", of: fixture)
    }

    @Test("is refused as the reference manual says", arguments: refused)
    func isRefused(_ fixture: FixtureCase) throws {
        let (output, diagnostics, result) = try fixture.render()
        #expect(result.hasErrors && output.isEmpty, "\(fixture.name) renders: take it off the manual's list of refusals")
        let refusal = KubeVelaCompatibility.refusals.first { $0.example == fixture.name }
        #expect(refusal != nil, "\(fixture.name) is refused but the manual's KubeVela page does not list it")
        #expect(refusal?.diagnostics == diagnostics, "the manual lists other diagnostics for \(fixture.name):\n\(diagnostics)")
        #expect(refusal?.source == fixture.read("source")?.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("every refusal the manual lists is an example")
    func refusalsAreExamples() {
        let names = Set(Self.cases.map(\.name))
        for refusal in KubeVelaCompatibility.refusals { #expect(names.contains(refusal.example), "\(refusal.example)") }
    }

    @Test("what renders passes kubernetes-validate --strict",
          Judges.needs(PythonTools.kubernetesValidate != nil, PythonTools.missingKubernetesValidate), arguments: KubernetesSchemaTests.versions)
    func renderedObjectsAreValid(version: String) throws {
        // An object given by its metadata alone names a live object to adopt: it is no manifest to validate.
        let files = Self.rendered.filter { !Self.adoptsLiveObjects.contains($0.name) }
            .compactMap { $0.read("expected.yaml") == nil ? nil : $0.file("expected.yaml").path }
        #expect(files.count >= 40)
        let run = try PythonTools.kubernetesValidate(["--strict", "--quiet", "-k", version] + files)
        #expect(run.status == 0, "kubernetes-validate \(version) failed:\n\(run.output)")
    }
}
