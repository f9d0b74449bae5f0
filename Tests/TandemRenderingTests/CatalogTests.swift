import Foundation
import TandemDefinitions
import TandemModel
import TandemTestSupport
import Testing
@testable import TandemRendering

@Suite("The catalog")
struct CatalogTests {
    static let registry = DefinitionRegistry.builtIn
    static let examples: [(name: String, text: String)] =
        registry.componentNames.compactMap { name in registry.components[name].map { ("component-\(name)", $0.example) } }
        + registry.traitNames.compactMap { name in registry.traits[name].map { ("trait-\(name)", $0.example) } }
        + registry.policyNames.compactMap { name in registry.policies[name].map { ("policy-\(name)", $0.example) } }
        + registry.workflowStepNames.compactMap { name in registry.workflowSteps[name].map { ("step-\(name)", $0.example) } }

    @Test("every definition is registered under its own name")
    func registeredByName() {
        for name in Self.registry.componentNames { #expect(Self.registry.components[name]?.name == name) }
        for name in Self.registry.traitNames { #expect(Self.registry.traits[name]?.name == name) }
        for name in Self.registry.policyNames { #expect(Self.registry.policies[name]?.name == name) }
        for name in Self.registry.workflowStepNames { #expect(Self.registry.workflowSteps[name]?.name == name) }
        #expect(!Self.registry.componentNames.isEmpty && !Self.registry.traitNames.isEmpty)
    }

    @Test("every definition's example renders, warned about only when deprecated or acting at deploy time", arguments: examples.map(\.name))
    func examplesRender(_ name: String) throws {
        let example = try #require(Self.examples.first { $0.name == name })
        let result = RenderPipeline().render([SourceFile(name: "example.yaml", text: example.text)])
        // The replication example replicates a built-in type, which ignores the key: it says so.
        let expected: Set<DiagnosticCode> = [.deprecatedParameter, .deployTimeOnly, .replicaKeyUnused]
        #expect(result.diagnostics.allSatisfy { !$0.isError && expected.contains($0.code) }, "\(result.diagnostics.map(\.description))")
        #expect(!result.objects.isEmpty)
        // The example must use its own definition.
        let type = name.split(separator: "-", maxSplits: 1).last.map(String.init) ?? name
        #expect(example.text.contains("type: \(type)"))
    }

    @Test("the committed reference manual is up to date (regenerate with: swift run tandem docs)")
    func docsAreFresh() throws {
        let directory = PackagePaths.root.appendingPathComponent("docs/reference")
        let files = ReferenceManual(registry: .builtIn).files()
        for (path, content) in files {
            let committed = try? String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
            #expect(committed == content, "docs/reference/\(path) is stale: run swift run tandem docs docs/reference")
        }
        let committedPages = Set(((try? FileManager.default.subpathsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".md") })
        #expect(committedPages == Set(files.map(\.path)), "docs/reference holds pages no definition generates")
    }

    @Test("every rendered example passes kubernetes-validate --strict",
          Judges.needs(PythonTools.kubernetesValidate != nil, PythonTools.missingKubernetesValidate))
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
            let run = try PythonTools.kubernetesValidate(["--strict", "--quiet", "-k", version] + files)
            #expect(run.status == 0, "kubernetes-validate \(version):\n\(run.output)")
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
            "a.yaml:10:17: error: components[0].traits[0].type: the scaler trait does not apply to component type 'task'\n  hint: it applies to: k8s-objects, raw, statefulset, webservice, worker",
        ])
    }
}
