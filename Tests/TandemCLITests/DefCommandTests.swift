import Foundation
import TandemTestSupport
import Testing

/// `tandem def init`, `vet` and `render`, as a definition's author uses them.
@Suite("tandem def")
struct DefCommandTests {
    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-def-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test(arguments: ["component", "trait", "policy", "workflow-step"])
    func aScaffoldPassesVetAndRendersToAnObjectThatLoadsAgain(_ type: String) throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let initRun = try Tandem.run(["def", "init", "my-\(type)", "--type", type])
        #expect(initRun.status == 0, "\(initRun.stderr)")
        let file = directory.appendingPathComponent("my-\(type).cue")
        try initRun.stdout.write(to: file, atomically: true, encoding: .utf8)
        let vet = try Tandem.run(["def", "vet", file.path])
        #expect(vet.status == 0, "\(vet.stderr)")
        #expect(vet.stderr.contains("\(type) my-\(type) is valid"))
        let render = try Tandem.run(["def", "render", file.path])
        #expect(render.status == 0, "\(render.stderr)")
        #expect(render.stdout.contains("apiVersion: core.oam.dev/v1beta1"))
        let object = directory.appendingPathComponent("my-\(type).yaml")
        try render.stdout.write(to: object, atomically: true, encoding: .utf8)
        let again = try Tandem.run(["def", "vet", object.path])
        #expect(again.status == 0, "\(render.stdout)\n\(again.stderr)")
    }

    @Test func vetReportsEveryProblemAtItsLine() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bad.cue")
        try """
            bad: {type: "component"}
            template: {
            \toutput: {
            \t\tapiVersion: "v1"
            \t\tkind:       "ConfigMap"
            \t\tdata: a: parameter.count + "x"
            \t\tdata: b: parameter.missing
            \t}
            \tparameter: count: *1 | int
            }

            """.write(to: file, atomically: true, encoding: .utf8)
        let vet = try Tandem.run(["def", "vet", file.path])
        #expect(vet.status == 1)
        #expect(vet.stderr.contains("\(file.path):6:"), "\(vet.stderr)")  // a number plus a string
        #expect(vet.stderr.contains("\(file.path):7:"), "\(vet.stderr)")  // no such parameter
        #expect(vet.stderr.contains("tandem: 2 problems in the definitions"), "\(vet.stderr)")
    }

    @Test func theExampleDefinitionsRenderToObjectsKeepingTheirTemplates() throws {
        let file = PackagePaths.root.appendingPathComponent("examples/definitions/log-shipper.cue").path
        let render = try Tandem.run(["def", "render", file])
        #expect(render.status == 0, "\(render.stderr)")
        #expect(render.stdout.contains("kind: TraitDefinition"))
        #expect(render.stdout.contains("appliesToWorkloads:"))
        #expect(render.stdout.contains("// +patchKey=name"))
    }
}
