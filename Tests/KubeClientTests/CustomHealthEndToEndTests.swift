import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// A component whose definition states its own health (`attributes.status`): `up` waits for
/// it and `status` shows its message, against the API test server and its simulated kubelet.
@Suite(.serialized) struct CustomHealthEndToEndTests {
    /// A Deployment healthy when exactly `wanted` replicas are ready; `neverReady` gives its
    /// container a readiness probe that always fails.
    static let definition = ##"""
        "counted": {
        	type: "component"
        	description: "A Deployment judged by how many of its replicas are ready"
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
        				message: "Ready:\(ready)/\(parameter.wanted) counted"
        				"""#
        			details: #"""
        				details: replicas: "\(context.output.spec.replicas)"
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
        				spec: containers: [{
        					name: context.name
        					image: parameter.image
        					if parameter.neverReady {
        						readinessProbe: exec: command: ["false"]
        					}
        				}]
        			}
        		}
        	}
        	parameter: {
        		image: string
        		replicas: *2 | int
        		wanted: *2 | int
        		neverReady: *false | bool
        	}
        }
        """##

    static func application(_ properties: String) -> String {
        """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: tally}
        spec:
          components:
            - name: web
              type: counted
              properties: {image: "nginx:1.27", \(properties)}
        """
    }

    static func component(_ status: ProcessResult) throws -> JSONValue {
        let json = try JSONReader().read(status.stdout)
        return try #require(json["components"]?.array?.first)
    }

    @Test func upWaitsForThePolicyAndStatusShowsItsMessage() throws {
        let cluster = try TestCluster()
        let definitions = try cluster.file("counted.cue", Self.definition)
        let app = try cluster.file("tally.yaml", Self.application("replicas: 2"))
        let up = try cluster.tandem(["up", app, "--definitions", definitions, "--timeout", "60s"])
        #expect(up.status == 0, "\(up.output)")
        #expect(up.stdout.contains("application tally is healthy"), "\(up.stdout)")

        // status reads the policy from what up recorded: no definitions needed.
        let status = try cluster.tandem(["status", "tally", "-o", "json"])
        #expect(status.status == 0, "\(status.output)")
        let component = try Self.component(status)
        #expect(component["custom"]?["healthy"] == true)
        #expect(component["custom"]?["message"] == "Ready:2/2 counted")
        #expect(component["custom"]?["details"] == ["replicas": "2"])
        #expect(component[path: ["workload", "message"]] == "Ready:2/2 counted")
        let table = try cluster.tandem(["status", "tally"])
        #expect(table.stdout.contains("Ready:2/2 counted"), "\(table.stdout)")
    }

    @Test func thePolicyNotKubernetesReadinessDecides() throws {
        let cluster = try TestCluster()
        let definitions = try cluster.file("counted.cue", Self.definition)
        // No pod is ever ready, and the definition wants none: healthy, where the Deployment's
        // own status would keep up waiting.
        let none = try cluster.file("none.yaml", Self.application("neverReady: true, wanted: 0"))
        let up = try cluster.tandem(["up", none, "--definitions", definitions, "--timeout", "60s"])
        #expect(up.status == 0, "\(up.output)")
        #expect(up.stdout.contains("application tally is healthy"), "\(up.stdout)")

        // It wants two: not healthy, and the definition's message says why.
        let two = try cluster.file("two.yaml", Self.application("neverReady: true, wanted: 2"))
        let noWait = try cluster.tandem(["up", two, "--definitions", definitions, "--no-wait"])
        #expect(noWait.status == 0, "\(noWait.output)")
        let status = try cluster.tandem(["status", "tally", "-o", "json"])
        let component = try Self.component(status)
        #expect(component["custom"]?["healthy"] == false)
        #expect(component[path: ["workload", "status"]] == "InProgress")
        #expect(component[path: ["workload", "reason"]] == "HealthPolicy")
        #expect(component["message"] == "Ready:0/2 counted", "\(status.stdout)")
    }
}
