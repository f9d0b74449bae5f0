import TandemJSON
import TandemModel
import TandemRendering
import Testing

/// The replication policy in a deploy step: each selected component delivered once per key,
/// its copies reading the key as `context.replicaKey`, as KubeVela's `ReplicateComponents` does.
struct ReplicationTests {
    /// A type that names its object after the key, as KubeVela's replica-webservice example does.
    static let registry = CUEDefinitionRenderTests.registry("""
        "zoned-config": {type: "component"}
        template: {
        \toutput: {
        \t\tapiVersion: "v1"
        \t\tkind:       "ConfigMap"
        \t\tmetadata: {
        \t\t\tif context.replicaKey != _|_ {name: context.name + "-" + context.replicaKey}
        \t\t\tif context.replicaKey == _|_ {name: context.name}
        \t\t}
        \t\tdata: zone: parameter.zone
        \t}
        \tparameter: zone: *"none" | string
        }
        """, file: "zoned-config.cue")

    static func application(_ web: String, replicated: Bool = true) -> String {
        """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: zones}
        spec:
          components:
            - name: web
              type: \(web)
              properties: \(web == "worker" ? "{image: \"shop/web:1\"}" : "{}")
            - name: settings
              type: zoned-config
          policies:
            - name: per-zone
              type: replication
              properties:
                keys: [beijing, hangzhou]
                selector: [web]
          workflow:
            steps:
              - name: deploy-zones
                type: deploy
                properties:
                  policies: [\(replicated ? "per-zone" : "")]
        """
    }

    @Test func aTypeReadingTheKeyRendersOneCopyPerKeyAfterTheOthers() throws {
        let result = CUEDefinitionRenderTests.render(Self.application("zoned-config"), registry: Self.registry)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.objects.map(\.name) == ["settings", "web-beijing", "web-hangzhou"])
        #expect(result.objects.allSatisfy { $0.json[path: ["metadata", "labels", "app.oam.dev/component"]] != nil })
    }

    @Test func withoutReplicationTheKeyIsAbsent() throws {
        let result = CUEDefinitionRenderTests.render(Self.application("zoned-config", replicated: false), registry: Self.registry)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.objects.map(\.name) == ["web", "settings"])
    }

    @Test func aBuiltInTypeIgnoresTheKeyItsCopiesAreDeliveredOnceWithAWarning() throws {
        let result = CUEDefinitionRenderTests.render(Self.application("worker"), registry: Self.registry)
        #expect(!result.hasErrors, "\(result.diagnostics)")
        #expect(result.objects.map(\.name) == ["settings", "web"])
        let warning = try #require(result.diagnostics.first { $0.code == .replicaKeyUnused })
        #expect(warning.severity == .warning && warning.location?.line == 7, "\(warning)")
    }

    @Test func aSelectorThatSelectsNothingIsAnError() throws {
        let text = Self.application("zoned-config").replacingOccurrences(of: "selector: [web]", with: "selector: [wbe]")
        let result = CUEDefinitionRenderTests.render(text, registry: Self.registry)
        #expect(result.diagnostics.contains { $0.isError && $0.code == .unknownReference && $0.location?.line == 16 }, "\(result.diagnostics)")
    }

    @Test func aReplicationPolicyNoDeployStepListsIsWarnedAbout() throws {
        let result = CUEDefinitionRenderTests.render(Self.application("zoned-config", replicated: false), registry: Self.registry)
        let warning = try #require(result.diagnostics.first { $0.code == .unusedPolicy }, "\(result.diagnostics)")
        #expect(warning.severity == .warning && warning.location?.line == 12, "\(warning)")
    }
}
