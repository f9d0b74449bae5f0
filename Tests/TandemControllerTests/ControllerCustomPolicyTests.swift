import Foundation
import KubeClient
import KubeModel
import KubeTestServer
import TandemController
import TandemJSON
import TandemTestSupport
import Testing

/// The controller acts on a custom policy from a PolicyDefinition object on the cluster: its
/// template's objects are applied with the Application and pruned when the policy goes.
@Suite struct ControllerCustomPolicyTests {
    static let policyDefinition: JSONValue = [
        "apiVersion": "core.oam.dev/v1beta1", "kind": "PolicyDefinition",
        "metadata": ["name": "team-config", "namespace": "default"],
        "spec": ["schematic": ["cue": ["template": """
            output: {
            \tapiVersion: "v1"
            \tkind:       "ConfigMap"
            \tdata: {team: parameter.team, revision: context.appRevision}
            }
            parameter: team: string

            """]]],
    ]

    static func application(policy: Bool) -> JSONValue {
        var application = ControllerTests.application("shop", components: [ControllerTests.worker("web", sidecar: false)])
        if policy {
            application[path: ["spec", "policies"]] = [["name": "owners", "type": "team-config", "properties": ["team": "payments"]]]
        }
        return application
    }

    @Test func aPolicyDefinitionsObjectsAreAppliedAndPruned() async throws {
        let setup = try await ControllerTests.Setup()
        for crd in DefinitionCRDs.all { try await setup.client.apply(KubeObject(json: crd)) }
        let gvk = GroupVersionKind(apiVersion: "core.oam.dev/v1beta1", kind: "PolicyDefinition")
        #expect(await setup.eventually("the PolicyDefinition kind is served") {
            await setup.client.forgetDiscovery()
            return (try? await setup.client.resource(for: gvk)) != nil
        })
        try await setup.client.apply(KubeObject(json: Self.policyDefinition))
        try setup.start()
        func owners() async -> JSONValue? {
            await setup.server.object(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "owners")
        }
        try await setup.apply(Self.application(policy: true))
        #expect(await setup.eventually("the policy's ConfigMap applied") { await owners() != nil })
        let applied = await owners()
        #expect(applied?["data"] == ["team": "payments", "revision": "shop-v1"])
        #expect(applied?[path: ["metadata", "labels", "applyset.kubernetes.io/part-of"]] != nil)
        #expect(await setup.eventually("running") { await setup.application("shop")?[path: ["status", "status"]] == "running" })

        try await setup.apply(Self.application(policy: false))
        #expect(await setup.eventually("the policy's ConfigMap pruned") { await owners() == nil })
        #expect(await setup.deployment("web") != nil)
        await setup.finish()
    }
}
