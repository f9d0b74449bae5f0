import Foundation
import TandemDefinitions
import TandemJSON
import TandemKubeVela
@testable import TandemLocal
import TandemRendering
import Testing

/// `up --local` judges a component by its definition's health policy, as on a cluster.
struct LocalCustomHealthTests {
    static let definition = ##"""
        "counted": {
        	type: "component"
        	attributes: {
        		workload: definition: {apiVersion: "apps/v1", kind: "Deployment"}
        		status: {
        			healthPolicy: "isHealth: context.output.status.readyReplicas == parameter.wanted"
        			customStatus: #"message: "Ready:\(context.output.status.readyReplicas)/\(parameter.wanted)""#
        		}
        	}
        }
        template: {
        	output: {
        		apiVersion: "apps/v1"
        		kind: "Deployment"
        		spec: {
        			replicas: parameter.wanted
        			selector: matchLabels: app: context.name
        			template: {
        				metadata: labels: app: context.name
        				spec: containers: [{name: context.name, image: "busybox:1.36", command: ["sleep", "infinity"]}]
        			}
        		}
        	}
        	parameter: wanted: *2 | int
        }
        """##

    @Test func theLocalStatusIsJudgedByThePolicy() throws {
        let loaded = DefinitionLoader().load(bytes: Array(Self.definition.utf8), file: "counted.cue")
        try #require(loaded.problems.isEmpty, "\(loaded.problems)")
        let registry = CustomDefinitions.registry(adding: loaded.definitions).registry
        let application = """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: tally}
            spec:
              components:
                - {name: web, type: counted}
            """
        let result = RenderPipeline(registry: registry).render([SourceFile(name: "app.yaml", text: application)])
        try #require(!result.hasErrors, "\(result.diagnostics)")
        let rendered = try #require(result.outputs.first)
        let plan = try LocalTranslator(options: .init(nodeName: "laptop")).translate(rendered, sources: LocalTranslator.sources(of: rendered)).get()
        let inventory = try JSONReader().read(plan.inventory)

        func status(ready: Int) throws -> LocalStatus {
            let deployment: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default", "generation": 1],
                                         "spec": ["replicas": 2],
                                         "status": ["observedGeneration": 1, "replicas": 2, "updatedReplicas": 2, "readyReplicas": .int(ready),
                                                    "availableReplicas": .int(ready)]]
            return try #require(LocalStatus(json: ["inventory": inventory, "namespace": "default", "objects": [deployment]]))
        }
        let starting = try status(ready: 1).health.components[0]
        #expect(starting.custom?.healthy == false)
        #expect(starting.verdict.status == .inProgress)
        #expect(starting.verdict.message == "Ready:1/2")
        let ready = try status(ready: 2).health.components[0]
        #expect(ready.custom?.healthy == true)
        #expect(ready.workload?.verdict.message == "Ready:2/2")
    }
}
