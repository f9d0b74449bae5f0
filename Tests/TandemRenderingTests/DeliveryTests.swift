import Foundation
import TandemDefinitions
import TandemJSON
import TandemModel
import TandemTestSupport
import Testing
@testable import TandemRendering

/// What the rendered application keeps of policies and the workflow, for the deploy lifecycle:
/// environments, deploy-time policies and steps, the selector labels chosen.
@Suite("Deliveries on the rendered application")
struct DeliveryTests {
    static func render(_ file: String) throws -> RenderedApplication {
        let fixture = try #require(FixtureCase.all(in: "Golden").first { $0.name == file })
        let bytes = try Data(contentsOf: fixture.file("app.yaml"))
        let result = RenderPipeline().render([SourceFile(name: "app.yaml", bytes: Array(bytes))])
        #expect(!result.hasErrors, "\(result.diagnostics)")
        return try #require(result.outputs.first)
    }

    @Test("each deploy step is an environment, in workflow order, with its components and namespace")
    func environments() throws {
        let rendered = try Self.render("multi-environment")
        #expect(rendered.environments == ["staging", "production"])
        #expect(rendered.components.map { "\($0.environment ?? "-")/\($0.name)" } == ["staging/frontend", "production/frontend", "production/worker"])
        for component in rendered.components {
            for object in component.objects {
                #expect(object.origin.environment == component.environment)
                #expect(object.object.namespace == "shop-\(component.environment ?? "")")
            }
        }
        #expect(rendered.deployTimeSteps.map(\.type) == ["suspend"])
    }

    @Test("deploy-time policies and steps are kept, validated and defaulted")
    func deployTime() throws {
        let rendered = try Self.render("deploy-time-policies-and-steps")
        #expect(rendered.deployTimePolicies.map(\.type) == ["garbage-collect", "apply-once", "read-only", "take-over", "shared-resource", "resource-update"])
        let collect = try #require(rendered.deployTimePolicies.first)
        #expect(collect.properties["continueOnFailure"] == .bool(false))
        #expect(collect.properties[path: ["rules"]]?.array?.first?["strategy"] == "onAppDelete")
        #expect(rendered.deployTimeSteps.map(\.name) == ["wait-for-db", "slack", "ci"])
        #expect(rendered.components.map(\.name) == ["api"])
        #expect(rendered.environments.isEmpty)
    }

    @Test("the selector labels chosen by the annotation are on the rendered application and its selectors")
    func selectorLabels() throws {
        let rendered = try Self.render("selector-component-only")
        #expect(rendered.selector == .componentOnly)
        for component in rendered.components {
            let workload = try #require(component.workload)
            #expect(workload.object.json[path: ["spec", "selector", "matchLabels"]] == ["app.oam.dev/component": .string(component.name)])
        }
        #expect(try Self.render("multi-environment").selector == .applicationAndComponent)
    }

    @Test("a shared-resource policy lets two applications render the same object")
    func sharedResources() throws {
        let text = { (app: String, shared: Bool) in
            """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: \(app)}
            spec:
              components:
                - name: ns
                  type: k8s-objects
                  properties: {objects: [{apiVersion: v1, kind: Namespace, metadata: {name: example}}]}
              policies:
                - name: shared
                  type: \(shared ? "shared-resource" : "take-over")
                  properties: {rules: [{selector: {resourceTypes: [Namespace]}}]}

            """
        }
        let both = RenderPipeline().render([SourceFile(name: "a.yaml", text: text("a", true) + "---\n" + text("b", true))])
        #expect(!both.hasErrors, "\(both.diagnostics)")
        let one = RenderPipeline().render([SourceFile(name: "a.yaml", text: text("a", true) + "---\n" + text("b", false))])
        #expect(one.diagnostics.contains { $0.code == .duplicateObject })
    }

    @Test("command's addArgs and delArgs follow KubeVela's rule")
    func commandArguments() {
        #expect(CommandTrait.arguments(given: ["--a", "--b"], adding: ["--a", "--c", "--b"], removing: ["--b"]) == ["--a", "--c"])
        #expect(CommandTrait.arguments(given: [], adding: ["--x", "--x"], removing: []) == ["--x"])
    }
}
