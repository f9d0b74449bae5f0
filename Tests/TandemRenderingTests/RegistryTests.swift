import TandemDefinitions
import TandemModel
import TandemRendering
import Testing

/// The registry is a value: what a run renders with decides what the rendered application
/// reports, not Tandem's built-in catalog.
struct RegistryTests {
    struct AuditPolicy: PolicyDefinition {
        var name = "audit"
        var description = "Records every deploy."
        var parameters = Schema.object("", [])
        var stage = DeliveryStage.deploy
        var example = ""
    }

    @Test func deployTimePoliciesComeFromTheRegistryTheApplicationWasRenderedWith() throws {
        let builtIn = DefinitionRegistry.builtIn
        let registry = DefinitionRegistry(
            components: builtIn.componentNames.compactMap { builtIn.components[$0] },
            traits: builtIn.traitNames.compactMap { builtIn.traits[$0] },
            policies: builtIn.policyNames.compactMap { builtIn.policies[$0] } + [AuditPolicy()],
            workflowSteps: builtIn.workflowStepNames.compactMap { builtIn.workflowSteps[$0] })
        let text = """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: shop}
            spec:
              components:
                - {name: web, type: worker, properties: {image: nginx}}
              policies:
                - {name: record, type: audit}
            """
        let result = RenderPipeline(registry: registry).render([SourceFile(name: "app.yaml", text: text)])
        #expect(result.diagnostics.filter(\.isError).isEmpty, "\(result.diagnostics)")
        let application = try #require(result.outputs.first)
        #expect(application.deployTimePolicies.map(\.type) == ["audit"])
    }
}
