import KubeModel
import TandemDeploy
import TandemModel
import TandemRendering
import Testing

/// How a deploy plan is cut into the steps that deliver it.
@Suite struct DeliveryPlanTests {
    static func plan(_ text: String) throws -> DeliveryPlan {
        let result = RenderPipeline().render([SourceFile(name: "app.yaml", text: text)])
        let application = try #require(result.outputs.first, "\(result.diagnostics)")
        let deploy = DeployPlan(application: application, namespace: "shop",
                                applySet: ApplySet(parent: ApplySet.commandLineParent(application: application.name, namespace: "shop"))) {
            ResourceScope.builtIn($0) == .namespaced
        }
        return DeliveryPlan(deploy)
    }

    @Test func eachDeployStepDeliversItsEnvironmentInWorkflowOrder() throws {
        let plan = try Self.plan("""
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: shop}
            spec:
              components:
                - name: web
                  type: webservice
                  properties: {image: "nginx:1", ports: [{port: 80, expose: true}]}
              policies:
                - {name: staging, type: topology, properties: {clusters: [local], namespace: staging}}
                - {name: production, type: topology, properties: {clusters: [local], namespace: production}}
              workflow:
                steps:
                  - {name: deploy-staging, type: deploy, properties: {policies: [staging]}}
                  - {name: approval, type: suspend}
                  - {name: deploy-production, type: deploy, properties: {policies: [production]}}
            """)
        #expect(plan.steps.map(\.name) == ["deploy-staging", "deploy-production"])
        #expect(plan.steps.map(\.path) == [["spec", "workflow", "steps", .index(0)], ["spec", "workflow", "steps", .index(2)]])
        #expect(plan.steps[0].items.map { "\($0.reference.namespace ?? "")/\($0.reference.kubectlName)" }
            == ["staging/service/web", "staging/deployment.apps/web"])
        #expect(plan.steps[1].items.allSatisfy { $0.reference.namespace == "production" })
        #expect(plan.steps.map(\.items.count).reduce(0, +) == plan.deploy.items.count)
        #expect(plan.inventory(of: plan.steps[1]).references.allSatisfy { $0.namespace == "production" })
        #expect(plan.steps(path: ["spec", "workflow", "steps", .index(2)], environment: nil).map(\.name) == ["deploy-production"])
        #expect(plan.slice(plan.steps[0]).items.count == 2)
    }

    @Test func withoutAWorkflowEverythingIsOneStep() throws {
        let plan = try Self.plan("""
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: shop}
            spec:
              components:
                - {name: web, type: worker, properties: {image: "nginx:1"}}
                - {name: jobs, type: worker, properties: {image: "busybox:1"}}
            """)
        #expect(plan.steps.map(\.name) == ["deploy"])
        #expect(plan.steps[0].items.count == plan.deploy.items.count)
        #expect(plan.steps(path: nil, environment: nil).count == 1)
    }
}
