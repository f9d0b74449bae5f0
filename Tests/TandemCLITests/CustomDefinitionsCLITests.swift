import Foundation
import TandemTestSupport
import Testing

/// `--definitions` and `TANDEM_DEFINITIONS` on the commands that read Applications and on the
/// catalog commands.
@Suite("tandem with custom definitions")
struct CustomDefinitionsCLITests {
    static let definitions = PackagePaths.root.appendingPathComponent("examples/definitions").path
    static let app = PackagePaths.root.appendingPathComponent("examples/definitions/app/shop.yaml").path

    @Test func renderAndValidateUseTheDefinitionsFromTheOptionAndFromTheEnvironment() throws {
        let render = try Tandem.run(["render", "--definitions", Self.definitions, Self.app])
        #expect(render.status == 0, "\(render.stderr)")
        #expect(render.stdout.contains("kind: Deployment") && render.stdout.contains("name: log-shipper"))
        #expect(render.stdout.contains("kind: Service"))
        let validate = try Tandem.run(["validate", Self.app], environment: ["TANDEM_DEFINITIONS": "/nonexistent:" + Self.definitions])
        #expect(validate.status == 1)
        #expect(validate.stderr.contains("/nonexistent: error: no such definition file or directory"), "\(validate.stderr)")
        let environment = try Tandem.run(["validate", Self.app], environment: ["TANDEM_DEFINITIONS": Self.definitions])
        #expect(environment.status == 0, "\(environment.stderr)")
        let without = try Tandem.run(["validate", Self.app])
        #expect(without.status == 1 && without.stderr.contains("microservice"), "\(without.stderr)")
    }

    @Test func catalogCommandsDescribeCustomDefinitions() throws {
        let show = try Tandem.run(["show", "microservice", "--definitions", Self.definitions])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("The port the service listens on"))
        let list = try Tandem.run(["definitions", "--definitions", Self.definitions, "-o", "json"])
        #expect(list.stdout.contains("\"log-shipper\"") && list.stdout.contains("\"microservice\""))
        let schema = try Tandem.run(["schema", "--definitions", Self.definitions])
        #expect(schema.stdout.contains("\"payments\""))
    }

    @Test func aDefinitionNamedLikeABuiltInReplacesItWithANote() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-defs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let worker = directory.appendingPathComponent("worker.cue")
        try "worker: {type: \"component\", description: \"Ours.\"}\ntemplate: {\n\toutput: {apiVersion: \"v1\", kind: \"ConfigMap\", data: image: parameter.image}\n\tparameter: image: string\n}\n"
            .write(to: worker, atomically: true, encoding: .utf8)
        let app = directory.appendingPathComponent("app.yaml")
        try "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {name: a}\nspec:\n  components:\n    - {name: w, type: worker, properties: {image: nginx}}\n"
            .write(to: app, atomically: true, encoding: .utf8)
        let run = try Tandem.run(["render", "--definitions", worker.path, app.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("kind: ConfigMap"))
        #expect(run.stderr.contains("note: the component worker from your definitions replaces the built-in one"), "\(run.stderr)")

        try "worker: {type: \"component\"}\ntemplate: {\n\toutput: {\n}\n".write(to: worker, atomically: true, encoding: .utf8)
        let broken = try Tandem.run(["render", "--definitions", worker.path, app.path])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("\(worker.path):"), "\(broken.stderr)")
    }
}
