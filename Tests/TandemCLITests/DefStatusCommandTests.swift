import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// `tandem def status`: a definition's health evaluated against live objects saved from a cluster.
@Suite("tandem def status")
struct DefStatusCommandTests {
    static let fixtures = PackagePaths.root.appendingPathComponent("Tests/TandemCLITests/Fixtures/def-status")
    static let definition = fixtures.appendingPathComponent("replicated.cue").path
    static let workload = fixtures.appendingPathComponent("web.yaml").path
    static let service = "service=" + fixtures.appendingPathComponent("web-svc.yaml").path

    @Test func aWorkloadShortOfItsReplicasIsNotHealthyWithTheDefinitionsMessage() throws {
        let run = try Tandem.run(["def", "status", Self.definition, "--output", Self.workload, "--outputs", Self.service,
                                  "--parameter", #"{"image": "nginx:1.27"}"#])
        #expect(run.status == 1, "\(run.output)")
        #expect(run.stdout == """
            component replicated (web): not healthy
            message: Ready:1/2 in store
            details:
              service: web-svc
              port: 80

            """, "\(run.output)")
    }

    @Test func jsonCarriesHealthyMessageAndDetails() throws {
        let run = try Tandem.run(["def", "status", Self.definition, "--output", Self.workload, "--outputs", Self.service,
                                  "--parameter", #"{"image": "nginx:1.27", "wanted": 1}"#, "--app", "mine", "-o", "json"])
        #expect(run.status == 0, "\(run.output)")
        let json = try JSONReader().read(run.stdout)
        #expect(json["healthy"] == true)
        #expect(json["message"] == "Ready:1/1 in mine")
        #expect(json["details"] == ["service": "web-svc", "port": "80"])
    }

    @Test func aMissingOutputIsAFailedProgramAtItsLine() throws {
        let run = try Tandem.run(["def", "status", Self.definition, "--output", Self.workload, "--parameter", #"{"image": "nginx"}"#,
                                  "-o", "json"])
        #expect(run.status == 1, "\(run.output)")
        let message = try JSONReader().read(run.stdout)["message"]?.string ?? ""
        #expect(message.contains("the replicated definition's details failed"), "\(message)")
        #expect(message.contains("replicated.cue:23:31"), "where `context.outputs.service` is in the file: \(message)")
    }

    @Test func parametersTheDefinitionRefusesAreNamedWithTheirLine() throws {
        let run = try Tandem.run(["def", "status", Self.definition, "--output", Self.workload, "--parameter", #"{"image": "nginx", "wanted": "two"}"#])
        #expect(run.status == 2, "\(run.output)")
        #expect(run.stderr.contains("parameter.wanted"), "\(run.stderr)")
        #expect(run.stderr.contains("replicated.cue:"), "\(run.stderr)")
    }

    @Test func unreadableInputsAreClearDiagnostics() throws {
        let missing = try Tandem.run(["def", "status", Self.definition, "--output", "/nonexistent/web.yaml"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--output: cannot read /nonexistent/web.yaml"), "\(missing.stderr)")
        let badFlag = try Tandem.run(["def", "status", Self.definition, "--outputs", "service"])
        #expect(badFlag.status != 0 && badFlag.stderr.contains("NAME=FILE"), "\(badFlag.stderr)")
        let badJSON = try Tandem.run(["def", "status", Self.definition, "--parameter", "{image"])
        #expect(badJSON.status == 2 && badJSON.stderr.contains("--parameter is not JSON"), "\(badJSON.stderr)")
    }
}
