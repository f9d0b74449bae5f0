import Foundation
import Testing
import TandemDefinitions
import TandemModel
@testable import TandemRendering

@Suite("The catalog")
struct CatalogTests {
    static let registry = DefinitionRegistry.builtIn
    static let examples: [(name: String, text: String)] =
        registry.componentNames.compactMap { name in registry.components[name].map { ("component-\(name)", $0.example) } }
        + registry.traitNames.compactMap { name in registry.traits[name].map { ("trait-\(name)", $0.example) } }

    @Test("every type of PRODUCT.md §4 is registered")
    func everyTypeIsRegistered() {
        #expect(Self.registry.componentNames == ["cron-task", "daemon", "k8s-objects", "statefulset", "task", "webservice", "worker"])
        #expect(Set(Self.registry.traitNames) == [
            "sidecar", "init-container", "scaler", "labels", "annotations", "env", "resource", "command", "container-image",
            "container-ports", "expose", "gateway", "hostalias", "service-account", "securitycontext", "podsecuritycontext",
            "startup-probe", "lifecycle", "affinity", "storage", "json-patch", "json-merge-patch"])
    }

    @Test("every definition's example renders without a diagnostic", arguments: examples.map(\.name))
    func examplesRender(_ name: String) throws {
        let example = try #require(Self.examples.first { $0.name == name })
        let result = RenderPipeline().render([SourceFile(name: "example.yaml", text: example.text)])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        #expect(!result.objects.isEmpty)
        if name.hasPrefix("trait-") {
            // The example must use its own trait.
            #expect(example.text.contains("type: \(name.dropFirst("trait-".count))"))
        }
    }

    @Test("the committed reference manual is up to date (regenerate with: swift run tandem docs)")
    func docsAreFresh() throws {
        let directory = FixtureCase.root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/reference")
        let files = ReferenceManual().files()
        for (path, content) in files {
            let committed = try? String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
            #expect(committed == content, "docs/reference/\(path) is stale: run swift run tandem docs docs/reference")
        }
        let committedPages = Set(((try? FileManager.default.subpathsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".md") })
        #expect(committedPages == Set(files.map(\.path)), "docs/reference holds pages no definition generates")
    }

    @Test("every rendered example passes kubernetes-validate --strict",
          .enabled(if: KubernetesValidate.path != nil || ProcessInfo.processInfo.environment["CI"] != nil))
    func examplesAreValidKubernetes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-examples-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for example in Self.examples {
            let result = RenderPipeline().render([SourceFile(name: "example.yaml", text: example.text)])
            let file = directory.appendingPathComponent("\(example.name).yaml")
            try YAMLWriter.documents(result.objects.map(\.json)).write(to: file, atomically: true, encoding: .utf8)
            files.append(file.path)
        }
        for version in KubernetesSchemaTests.versions {
            let (status, output) = try KubernetesValidate.run(["--strict", "--quiet", "-k", version] + files)
            #expect(status == 0, "kubernetes-validate \(version):\n\(output)")
        }
    }

    @Test("a trait on a component type it does not fit names the types it fits")
    func applicability() {
        let text = """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: a}
            spec:
              components:
                - name: c
                  type: task
                  properties: {image: x}
                  traits:
                    - type: scaler
                      properties: {replicas: 2}
            """
        let result = RenderPipeline().render([SourceFile(name: "a.yaml", text: text)])
        #expect(result.diagnostics.map(\.description) == [
            "a.yaml:10:17: error: components[0].traits[0].type: the scaler trait does not apply to component type 'task'\n  hint: it applies to: statefulset, webservice, worker",
        ])
    }
}
