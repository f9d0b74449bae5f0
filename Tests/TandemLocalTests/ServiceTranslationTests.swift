import Foundation
import TandemJSON
@testable import TandemLocal
import Testing

/// A Service, worked out without podman: the names its pod answers to, the pods it selects, the
/// container port each of its ports reaches (by number or by name), and what `--publish` takes.
@Suite struct ServiceTranslationTests {
    static let shop = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: shop, namespace: team-a}
        spec:
          components:
            - name: api
              type: webservice
              properties:
                image: busybox:1.36
                cmd: ["httpd", "-f", "-p", "80"]
                ports: [{port: 8080, containerPort: 80, name: http, expose: true}, {port: 9090, name: metrics}]
              traits:
                - type: scaler
                  properties: {replicas: 2}
            - name: admin
              type: k8s-objects
              properties:
                objects:
                  - apiVersion: v1
                    kind: Service
                    metadata: {name: api-by-name}
                    spec:
                      selector: {app.oam.dev/component: api}
                      ports: [{port: 80, targetPort: http}, {port: 53, targetPort: 53, protocol: UDP}]
        """

    @Test func aServiceIsAPodOnTheNetworkAnsweringToItsNames() throws {
        let plan = try TranslationTests.plan(Self.shop).get()
        #expect(plan.network == "team-a_shop_network")
        let api = try #require(plan.services.first { $0.name == "api" })
        #expect(api.podmanName == "team-a_shop_service_api")
        #expect(api.aliases == ["api", "api.team-a", "api.team-a.svc", "api.team-a.svc.cluster.local"])
        #expect(plan.pods.filter(api.selects).map(\.name) == ["api-0", "api-1"])
        let arguments = PodmanArguments(plan: plan, stateDirectory: "/state")
        let create = arguments.createServicePod(api)
        #expect(create.contains("--network-alias") && create.contains("api.team-a.svc.cluster.local"), "\(create)")
        let pod = arguments.createPod(try #require(plan.pods.first))
        #expect(pod.split(separator: "--network").count == 2 && pod.contains("team-a_shop_network"), "every pod joins the network: \(pod)")
        #expect(!plan.notes.contains { $0.hasPrefix("service/api ") }, "\(plan.notes)")
    }

    @Test func aPortReachesTheContainerPortItTargetsByNumberOrByName() throws {
        let plan = try TranslationTests.plan(Self.shop).get()
        let pod = try #require(plan.pods.first { $0.name == "api-0" })
        let api = try #require(plan.services.first { $0.name == "api" })
        #expect(api.ports.map { $0.target(in: pod) } == [80])
        let byName = try #require(plan.services.first { $0.name == "api-by-name" })
        #expect(byName.ports.first?.target(in: pod) == 80, "targetPort 'http' is the container's port named http")
        #expect(plan.notes.contains("port 53/udp of service/api-by-name is not forwarded locally: only TCP ports are"), "\(plan.notes)")
    }

    @Test func theEndpointsAreTheReadyPodsItSelectsAtTheirTargetPorts() throws {
        let plan = try TranslationTests.plan(Self.shop).get()
        var pods = plan.pods.map(PodState.init(plan:))
        for index in pods.indices {
            pods[index].phase = .running
            pods[index].podIP = "10.89.0.\(index + 2)"
            for name in pods[index].containers.keys { pods[index].containers[name]?.ready = index == 0 }
        }
        let document = try JSONReader().read(LocalEndpoints.document(plan, pods: pods))
        #expect(document["api"]?["8080/tcp"]?.strings == ["10.89.0.2:80"], "only the ready pod: \(document)")
        #expect(document["api-by-name"]?["80/tcp"]?.strings == ["10.89.0.2:80"], "\(document)")
        #expect(document["api-by-name"]?["53/udp"] == nil, "\(document)")
    }

    @Test func publishingTakesEachServicePortAndLeavesThePortsItReachesToIt() throws {
        let plan = try TranslationTests.plan(Self.shop, options: .init(publish: true, nodeName: "laptop")).get()
        let api = try #require(plan.services.first { $0.name == "api" })
        #expect(api.publish.map(\.hostPort) == [8080])
        // Container port 80 is reached through service/api (8080) and api-by-name (80): not published by the pods;
        // the metrics port, which no Service reaches, still is, on the first replica.
        #expect(plan.pods.flatMap(\.publish).map(\.hostPort) == [9090], "\(plan.pods.map(\.publish))")
        let byName = try #require(plan.services.first { $0.name == "api-by-name" })
        #expect(byName.publish.map(\.hostPort) == [80])
    }

    @Test func aStatefulSetsPodsAnswerToTheirNamesUnderItsService() throws {
        let plan = try TranslationTests.plan("""
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: db}
            spec:
              components:
                - name: pg
                  type: statefulset
                  properties:
                    image: busybox:1.36
                    ports: [{port: 5432, expose: true}]
            """).get()
        let pod = try #require(plan.pods.first)
        #expect(pod.aliases == ["pg-0.pg", "pg-0.pg.default", "pg-0.pg.default.svc", "pg-0.pg.default.svc.cluster.local"])
        let arguments = PodmanArguments(plan: plan, stateDirectory: "/s").createPod(pod)
        #expect(arguments.contains("pg-0.pg.default.svc.cluster.local"), "\(arguments)")
        let deployment = try TranslationTests.plan(Self.shop).get()
        #expect(deployment.pods.allSatisfy { $0.aliases.isEmpty }, "a Deployment's pods have no names of their own")
    }
}
