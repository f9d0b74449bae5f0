import Foundation
import TandemDefinitions
import TandemJSON
import TandemKubeVela
import TandemModel
import TandemRendering
import Testing

/// A definition's `attributes.status` judges live objects as KubeVela judges them.
struct DefinitionHealthTests {
    /// A Deployment judged healthy when exactly `wanted` replicas are ready, with a Service beside it.
    static let definition = ##"""
        "replicated": {
        	type: "component"
        	description: "A Deployment that is healthy when its wanted replicas are ready"
        	attributes: {
        		workload: definition: {apiVersion: "apps/v1", kind: "Deployment"}
        		status: {
        			healthPolicy: #"""
        				ready: *0 | int
        				if context.output.status.readyReplicas != _|_ {
        					ready: context.output.status.readyReplicas
        				}
        				isHealth: ready == parameter.wanted
        				"""#
        			customStatus: #"""
        				ready: *0 | int
        				if context.output.status.readyReplicas != _|_ {
        					ready: context.output.status.readyReplicas
        				}
        				message: "Ready:\(ready)/\(parameter.wanted) in \(context.appName)"
        				"""#
        			details: #"""
        				details: {
        					service: context.outputs.service.metadata.name
        					port: "\(context.outputs.service.spec.ports[0].port)"
        				}
        				"""#
        		}
        	}
        }
        template: {
        	output: {
        		apiVersion: "apps/v1"
        		kind: "Deployment"
        		spec: {
        			replicas: parameter.replicas
        			selector: matchLabels: app: context.name
        			template: {
        				metadata: labels: app: context.name
        				spec: containers: [{name: context.name, image: parameter.image}]
        			}
        		}
        	}
        	outputs: service: {
        		apiVersion: "v1"
        		kind: "Service"
        		metadata: name: "\(context.name)-svc"
        		spec: {
        			selector: app: context.name
        			ports: [{port: 80}]
        		}
        	}
        	parameter: {
        		image: string
        		replicas: *2 | int
        		wanted: *2 | int
        	}
        }
        """##

    /// Writes `text` to a file of its own and loads the one definition in it.
    static func load(_ text: String, name: String = "replicated.cue") throws -> CUEDefinitionSource {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("health-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = DefinitionLoader().load(paths: [path])
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        return try #require(loaded.definitions.first)
    }

    static func policy(_ source: CUEDefinitionSource, wanted: Int = 2) throws -> HealthPolicy {
        try #require(source.healthPolicy(parameters: ["image": "nginx", "replicas": 2, "wanted": .int(wanted)],
                                         context: ["name": "web", "appName": "shop"],
                                         outputs: [HealthPolicy.Output(name: "service", kind: "Service", objectName: "web-svc")]))
    }

    static func deployment(ready: Int?) -> JSONValue {
        var status: JSONObject = ["replicas": 2]
        if let ready { status["readyReplicas"] = .int(ready) }
        return ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"], "spec": ["replicas": 2], "status": .object(status)]
    }

    static let service: JSONValue = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web-svc"], "spec": ["ports": [["port": 80]]]]

    @Test func theWorkloadIsHealthyOnlyWhenThePolicySaysSo() throws {
        let policy = try Self.policy(Self.load(Self.definition))
        let notYet = DefinitionHealth.evaluate(policy, output: Self.deployment(ready: 1), outputs: ["service": Self.service])
        #expect(!notYet.healthy)
        #expect(notYet.message == "Ready:1/2 in shop")
        let missing = DefinitionHealth.evaluate(policy, output: Self.deployment(ready: nil), outputs: ["service": Self.service])
        #expect(!missing.healthy)
        #expect(missing.message == "Ready:0/2 in shop")
        let ready = DefinitionHealth.evaluate(policy, output: Self.deployment(ready: 2), outputs: ["service": Self.service])
        #expect(ready.healthy)
        #expect(ready.message == "Ready:2/2 in shop")
        #expect(ready.details == [.init(key: "service", value: "web-svc"), .init(key: "port", value: "80")])
    }

    @Test func theParameterTakesPartInThePolicy() throws {
        let policy = try Self.policy(Self.load(Self.definition), wanted: 1)
        let result = DefinitionHealth.evaluate(policy, output: Self.deployment(ready: 1), outputs: ["service": Self.service])
        #expect(result.healthy)
        #expect(result.message == "Ready:1/1 in shop")
    }

    @Test func withoutAHealthPolicyTheComponentIsHealthy() throws {
        let text = Self.definition.replacingOccurrences(of: "healthPolicy: #\"\"\"", with: "unusedPolicy: #\"\"\"")
        let policy = try Self.policy(Self.load(text))
        #expect(policy.healthPolicy == nil && policy.customStatus != nil)
        let result = DefinitionHealth.evaluate(policy, output: Self.deployment(ready: 0), outputs: ["service": Self.service])
        #expect(result.healthy)
        #expect(result.message == "Ready:0/2 in shop")
    }

    @Test func aDefinitionWithoutStatusHasNoPolicy() throws {
        let text = Self.definition.replacingOccurrences(of: "status: {", with: "unused: {")
        let source = try Self.load(text)
        #expect(source.healthPolicy(parameters: ["image": "nginx"], context: [:]) == nil)
    }

    @Test func aPolicyThatFailsToEvaluateIsUnhealthyWithTheErrorAtItsLine() throws {
        let text = Self.definition.replacingOccurrences(of: "isHealth: ready == parameter.wanted", with: "isHealth: ready + \"x\"")
        let source = try Self.load(text, name: "broken.cue")
        let result = DefinitionHealth.evaluate(try Self.policy(source), output: Self.deployment(ready: 2), outputs: ["service": Self.service])
        #expect(!result.healthy)
        #expect(result.message.hasPrefix("Ready:2/2 in shop; the replicated definition's healthPolicy failed: "), "\(result.message)")
        // `isHealth` is on line 12 of the definition's file, indented by four tabs.
        #expect(result.message.contains("broken.cue:12:"), "\(result.message)")
    }

    @Test func aHealthPolicyWithoutIsHealthIsUnhealthy() throws {
        let text = Self.definition.replacingOccurrences(of: "isHealth: ready == parameter.wanted", with: "healthy: ready == parameter.wanted")
        let result = DefinitionHealth.evaluate(try Self.policy(Self.load(text)), output: Self.deployment(ready: 2), outputs: [:])
        #expect(!result.healthy)
        #expect(result.message.contains("it sets no isHealth"), "\(result.message)")
    }

    @Test func theRendererBindsThePolicyToTheComponent() throws {
        let source = try Self.load(Self.definition)
        let registry = CustomDefinitions.registry(adding: [source]).registry
        let application = """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: shop}
            spec:
              components:
                - name: web
                  type: replicated
                  properties: {image: nginx, wanted: 3}
            """
        let result = RenderPipeline(registry: registry).render([SourceFile(name: "app.yaml", text: application)])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let component = try #require(result.outputs.first?.components.first)
        let policy = try #require(component.healthPolicy)
        #expect(policy.parameter["wanted"] == 3 && policy.parameter["replicas"] == 2)
        #expect(policy.context["name"] == "web" && policy.context["appName"] == "shop")
        #expect(policy.outputs == [HealthPolicy.Output(name: "service", kind: "Service", objectName: "web-svc")])
        #expect(HealthPolicy(json: policy.json) == policy)
    }
    /// A trait making an Ingress, healthy once the Ingress has an address.
    static let trait = ##"""
        "reachable": {
        	type: "trait"
        	attributes: {
        		appliesToWorkloads: ["deployments.apps"]
        		status: {
        			healthPolicy: #"""
        				isHealth: context.outputs.ingress.status.loadBalancer.ingress != _|_
        				"""#
        			customStatus: #"""
        				message: "Visiting URL: \(context.outputs.ingress.spec.rules[0].host) for \(context.output.metadata.name)"
        				"""#
        		}
        	}
        }
        template: {
        	outputs: ingress: {
        		apiVersion: "networking.k8s.io/v1"
        		kind: "Ingress"
        		metadata: name: "\(context.name)-ingress"
        		spec: rules: [{host: parameter.host}]
        	}
        	parameter: host: string
        }
        """##

    @Test func aTraitsPolicyIsBoundToItsOwnOutputs() throws {
        let component = try Self.load(Self.definition)
        let trait = try Self.load(Self.trait, name: "reachable.cue")
        let registry = CustomDefinitions.registry(adding: [component, trait]).registry
        let application = """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: shop}
            spec:
              components:
                - name: web
                  type: replicated
                  properties: {image: nginx}
                  traits:
                    - {type: reachable, properties: {host: shop.example.com}}
            """
        let result = RenderPipeline(registry: registry).render([SourceFile(name: "app.yaml", text: application)])
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let rendered = try #require(result.outputs.first?.components.first)
        let policy = try #require(rendered.traitHealthPolicies.first)
        #expect(rendered.traitHealthPolicies.count == 1)
        #expect(policy.trait == "reachable")
        // Only the trait's own output, not the component's Service.
        #expect(policy.outputs == [HealthPolicy.Output(name: "ingress", kind: "Ingress", objectName: "web-ingress")])
        #expect(rendered.healthPolicy?.outputs.map(\.name) == ["service"])

        let ingress: JSONValue = ["kind": "Ingress", "metadata": ["name": "web-ingress"], "spec": ["rules": [["host": "shop.example.com"]]]]
        let waiting = DefinitionHealth.evaluate(policy, output: Self.deployment(ready: 2), outputs: ["ingress": ingress])
        #expect(!waiting.healthy)
        #expect(waiting.message == "Visiting URL: shop.example.com for web")
        var served = ingress
        served["status"] = ["loadBalancer": ["ingress": [["ip": "10.0.0.1"]]]]
        #expect(DefinitionHealth.evaluate(policy, output: Self.deployment(ready: 2), outputs: ["ingress": served]).healthy)
    }
}
