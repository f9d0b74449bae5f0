import Foundation
import TandemKubeVela
import TandemRendering
import TandemTestSupport
import Testing

/// `context.appRevision` and `context.appRevisionNum` name the revision being rendered.
struct AppRevisionContextTests {
    static let fixture = PackagePaths.root.appendingPathComponent("Tests/KubeClientTests/Fixtures/revisions/revision-label.cue").path

    static let application = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: site}
        spec:
          components:
            - {name: web, type: revision-label, properties: {image: "nginx:1.27"}}
        """

    static func labels(revision: Int?) throws -> (revision: String?, number: String?, stamp: String?) {
        let loaded = DefinitionLoader().load(paths: [fixture])
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        var options = RenderOptions()
        if let revision { options.appRevisionNumber = revision }
        let result = RenderPipeline(registry: CustomDefinitions.registry(adding: loaded.definitions).registry, options: options)
            .render([SourceFile(name: "site.yaml", text: application)])
        #expect(!result.hasErrors, "\(result.diagnostics)")
        let labels = try #require(result.objects.first?.json[path: ["metadata", "labels"]])
        return (labels["revision"]?.string, labels["revision-number"]?.string, labels["app.oam.dev/appRevision"]?.string)
    }

    @Test func theFirstRevisionIsTheDefault() throws {
        let labels = try Self.labels(revision: nil)
        #expect(labels.revision == "site-v1" && labels.number == "1" && labels.stamp == "site-v1")
    }

    @Test func theRevisionRenderedIsTheOneGiven() throws {
        let labels = try Self.labels(revision: 7)
        #expect(labels.revision == "site-v7" && labels.number == "7" && labels.stamp == "site-v7")
    }
}
