import Foundation
import TandemJSON
import TandemModel
import TandemTestSupport
import Testing
@testable import TandemRendering

@Suite("Golden renders")
struct GoldenTests {
    static let cases = FixtureCase.all(in: "Golden")

    @Test("the Golden folder holds cases")
    func hasCases() { expectCases(Self.cases, in: "Golden", atLeast: 10) }

    @Test("renders as expected", arguments: cases)
    func rendersAsExpected(_ fixture: FixtureCase) throws {
        let (output, diagnostics, result) = try fixture.render()
        #expect(!result.hasErrors, "\(diagnostics)")
        expectMatchesFile(output, "expected.yaml", of: fixture)
        // Warnings, if any, are part of what the user sees.
        expectMatchesFile(diagnostics, "expected.stderr", of: fixture)
    }

    @Test("the same input gives the same bytes", arguments: cases)
    func isDeterministic(_ fixture: FixtureCase) throws {
        let first = try fixture.render().output
        for _ in 0..<3 { #expect(try fixture.render().output == first) }
    }

    @Test("output reads back as the same objects", arguments: cases)
    func outputRoundTrips(_ fixture: FixtureCase) throws {
        let (output, _, result) = try fixture.render()
        let reread = try rereadDocuments(output)
        #expect(reread == result.objects.map(\.json))
    }

    @Test("workloads select their own pods, and container names are unique", arguments: cases)
    func workloadInvariants(_ fixture: FixtureCase) throws {
        // Both selector labels, unless the Application keeps KubeVela's component-only selectors.
        let application = (try? String(contentsOf: fixture.folder.appendingPathComponent("app.yaml"), encoding: .utf8)) ?? ""
        let componentOnly = application.contains("tandem.oam.dev/selector-labels: component-only")
        for object in try fixture.render().result.objects {
            let selector = object.json[path: ["spec", "selector", "matchLabels"]]?.object
            let podLabels = object.json[path: ["spec", "template", "metadata", "labels"]]?.object
            // Objects given whole (k8s-objects, raw) keep the selectors written in them.
            let givenWhole = ["k8s-objects", "raw"].contains(object.json[path: ["metadata", "labels", "workload.oam.dev/type"]]?.string ?? "")
            // A workload's selector (a claim's selects volumes, not pods).
            if let selector, !givenWhole, object.json[path: ["spec", "template"]] != nil {
                for member in selector { #expect(podLabels?[member.key] == member.value, "\(object.displayName)") }
                #expect((selector["app.oam.dev/name"] != nil || componentOnly) && selector["app.oam.dev/component"] != nil)
            }
            let podSpec = object.json[path: ["spec", "template", "spec"]]
            let names = ((podSpec?["containers"]?.array ?? []) + (podSpec?["initContainers"]?.array ?? [])).compactMap { $0["name"]?.string }
            #expect(Set(names).count == names.count, "\(object.displayName): \(names)")
            let volumes = Set((podSpec?["volumes"]?.array ?? []).compactMap { $0["name"]?.string })
            for container in (podSpec?["containers"]?.array ?? []) + (podSpec?["initContainers"]?.array ?? []) {
                for mount in container["volumeMounts"]?.array ?? [] {
                    #expect(volumes.contains(mount["name"]?.string ?? ""), "\(object.displayName): mount of an undeclared volume")
                }
            }
        }
    }
}
