import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// `tandem def apply` and `tandem def list` against the API test server, with the CRDs
/// `tandem install` adds; kubectl judges what landed in the cluster.
@Suite(.serialized, Kubectl.isNeeded) struct DefApplyListEndToEndTests {
    static let examples = PackagePaths.root.appendingPathComponent("examples/definitions")
    static let microservice = examples.appendingPathComponent("microservice.cue").path
    static let logShipper = examples.appendingPathComponent("log-shipper.cue").path

    @Test func definitionsAreAppliedAndListed() async throws {
        let cluster = try TestCluster()
        // Without the CRDs: the command that installs them.
        let before = try await cluster.tandem(["def", "list"])
        #expect(before.status == 2 && before.stderr.contains("tandem install"), "\(before.output)")

        let install = try await Tandem.run(["install"])
        try #require(install.status == 0)
        try #require(try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: install.stdout).status == 0)
        try #require(try await cluster.kubectl(["create", "namespace", "shop"]).status == 0)

        // A server dry run changes nothing.
        let dry = try await cluster.tandem(["def", "apply", Self.microservice, "--dry-run=server"])
        #expect(dry.status == 0 && dry.stdout.contains("(server dry run)"), "\(dry.output)")
        let none = try await cluster.kubectl(["get", "comp", "-n", "vela-system", "-o", "name"])
        #expect(none.status == 0 && none.stdout.isEmpty, "\(none.output)")

        let applied = try await cluster.tandem(["def", "apply", Self.microservice, Self.logShipper])
        #expect(applied.status == 0, "\(applied.output)")
        #expect(applied.stdout.contains("ComponentDefinition/microservice created in namespace vela-system"), "\(applied.stdout)")
        #expect(applied.stdout.contains("TraitDefinition/log-shipper created in namespace vela-system"), "\(applied.stdout)")
        let again = try await cluster.tandem(["def", "apply", Self.microservice])
        #expect(again.stdout.contains("ComponentDefinition/microservice applied"), "\(again.output)")
        let inShop = try await cluster.tandem(["def", "apply", "-n", "shop", Self.microservice])
        #expect(inShop.status == 0, "\(inShop.output)")
        let template = try await cluster.kubectl(["get", "comp", "microservice", "-n", "vela-system",
                                                  "-o", "jsonpath={.spec.schematic.cue.template}"])
        #expect(template.status == 0 && template.stdout.contains("parameter"), "\(template.output)")

        let table = try await cluster.tandem(["def", "list"])
        #expect(table.status == 0, "\(table.output)")
        let lines = table.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).prefix(3).joined(separator: " ") }
        #expect(lines == ["NAME TYPE NAMESPACE", "microservice component vela-system", "log-shipper trait vela-system"], "\(table.stdout)")

        let all = try await cluster.tandem(["def", "list", "-A", "-o", "json"])
        #expect(all.status == 0, "\(all.output)")
        let items = try JSONReader().read(Array(all.stdout.utf8)).array ?? []
        let names = items.map { "\($0["namespace"]?.string ?? "")/\($0["name"]?.string ?? "")/\($0["type"]?.string ?? "")" }
        #expect(names == ["shop/microservice/component", "vela-system/microservice/component", "vela-system/log-shipper/trait"])
        #expect(items.allSatisfy { !($0["description"]?.string ?? "").isEmpty }, "\(all.stdout)")
    }

    @Test func aBrokenDefinitionIsReportedAndNothingIsApplied() async throws {
        let cluster = try TestCluster()
        let broken = try cluster.file("broken.cue", """
            "broken": {
            \ttype: "trait"
            }
            template: {
            \tparameter: count: int & "x"
            }

            """)
        let result = try await cluster.tandem(["def", "apply", broken])
        #expect(result.status == 1 && result.stderr.contains(broken), "\(result.output)")
    }
}
