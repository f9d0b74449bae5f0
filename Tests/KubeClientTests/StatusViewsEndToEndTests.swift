import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// `status --tree`, `--endpoints` and `--watch` against the API test server.
@Suite(.serialized, Kubectl.isNeeded) struct StatusViewsEndToEndTests {
    static let shop = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: shop}
        spec:
          components:
            - name: admin
              type: webservice
              properties: {image: shop/admin:1}
              traits:
                - type: expose
                  properties: {type: NodePort, ports: [{port: 9090, nodePort: 30080}]}
            - name: web
              type: webservice
              properties: {image: shop/web:1, ports: [{port: 8080}]}
              traits:
                - type: sidecar
                  properties: {name: proxy, image: shop/proxy:1}
                - type: gateway
                  properties: {domain: shop.example.com, http: {"/": 8080}}
        """

    static func deploy() async throws -> TestCluster {
        let cluster = try TestCluster()
        let up = try await cluster.tandem(["up", try cluster.file("shop.yaml", shop), "--no-wait"])
        try #require(up.status == 0, "\(up.output)")
        let ready = try await cluster.kubectl(["wait", "--for=condition=Ready", "pod", "-l", "app.oam.dev/component=web", "--timeout=30s"])
        try #require(ready.status == 0, "\(ready.output)")
        return cluster
    }

    @Test func treeShowsComponentsObjectsPodsAndContainersWithSidecarsMarked() async throws {
        let cluster = try await Self.deploy()
        let pod = try await cluster.kubectl(["get", "pods", "-l", "app.oam.dev/component=web", "-o", "name"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let tree = try await cluster.tandem(["status", "shop", "--tree"])
        let lines = tree.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("application shop (namespace default): ") == true, "\(tree.output)")
        #expect(lines.contains("├─ admin (webservice): healthy"), "\(tree.stdout)")
        #expect(lines.contains("│  └─ service/admin (expose trait)  healthy"), "\(tree.stdout)")
        #expect(lines.contains("└─ web (webservice): healthy"), "\(tree.stdout)")
        #expect(lines.contains("   ├─ deployment/web  1/1 ready  healthy"), "\(tree.stdout)")
        #expect(lines.contains("   │  └─ \(pod)"), "\(tree.stdout)")
        #expect(lines.contains("   │     ├─ web  ready"), "\(tree.stdout)")
        #expect(lines.contains("   │     └─ proxy [sidecar]  ready"), "\(tree.stdout)")
        #expect(lines.contains("   ├─ service/web (gateway trait)  healthy"), "\(tree.stdout)")
        #expect(lines.contains("   └─ ingress/web (gateway trait)  healthy"), "\(tree.stdout)")
        #expect(!tree.stdout.contains("\u{1B}["), "no colours without a terminal")
    }

    @Test func endpointsNameServicePortsNodePortsAndIngressHosts() async throws {
        let cluster = try await Self.deploy()
        let ip = try await cluster.kubectl(["get", "service", "web", "-o", "jsonpath={.spec.clusterIP}"]).stdout
        let result = try await cluster.tandem(["status", "shop", "--endpoints", "-o", "json"])
        #expect(result.status == 0, "\(result.output)")
        let endpoints = try JSONReader().read(result.stdout).array ?? []
        let pairs = endpoints.map { "\($0["object"]?.string ?? "") \($0["scope"]?.string ?? "") \($0["address"]?.string ?? "")" }
        #expect(pairs.contains("service/web cluster \(ip):8080/TCP → 8080"), "\(pairs)")
        #expect(pairs.contains { $0.hasPrefix("ingress/web ingress http://shop.example.com/ → service/web:8080") }, "\(pairs)")
        #expect(pairs.contains("service/admin node port NODE:30080/TCP → 9090"), "\(pairs)")
        let text = try await cluster.tandem(["status", "shop", "--endpoints"])
        #expect(text.stdout.hasPrefix("COMPONENT"), "\(text.output)")
        #expect(text.stdout.contains("http://shop.example.com/"), "\(text.output)")
    }

    @Test func watchDrawsAgainWhenTheApplicationChanges() async throws {
        let cluster = try await Self.deploy()
        let watch = try RunningProcess([Tandem.executable.path, "status", "shop", "--tree", "--watch", "--kubeconfig", cluster.kubeconfig],
                                       environment: ["NO_COLOR": "1", "HOME": cluster.directory.path])
        #expect(await watch.awaitOutput { $0.contains("deployment/web  1/1 ready  healthy") }, "\(watch.output)\(watch.errors)")
        let scaled = try await cluster.kubectl(["scale", "deployment/web", "--replicas=2"])
        try #require(scaled.status == 0, "\(scaled.output)")
        #expect(await watch.awaitOutput { $0.contains("deployment/web  2/2 ready  healthy") }, "\(watch.output)\(watch.errors)")
        // Each state drawn once more, after a blank line (not a terminal: no redrawing).
        #expect(watch.output.contains("\n\napplication shop"), "\(watch.output)")
        await watch.stop()
    }
}
