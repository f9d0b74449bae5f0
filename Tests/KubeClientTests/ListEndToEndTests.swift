import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// `tandem ls` against the API test server: what `up` deployed, and Application objects.
@Suite(.serialized) struct ListEndToEndTests {
    static let shop = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: shop}
        spec:
          components:
            - name: web
              type: webservice
              properties: {image: shop/web:1, ports: [{port: 8080, expose: true}]}
            - name: worker
              type: worker
              properties: {image: shop/worker:1}
        """

    static let managed = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: billing, namespace: team}
        spec:
          components:
            - name: api
              type: webservice
              properties: {image: billing/api:1}
        """

    @Test func lsShowsSetsAndApplicationObjectsWithHealthAndWorkflowPhase() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("shop.yaml", Self.shop)
        let up = try await cluster.tandem(["up", file, "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")

        let table = try await cluster.tandem(["ls"])
        #expect(table.status == 0, "\(table.output)")
        let line = table.stdout.split(separator: "\n").first { $0.hasPrefix("shop ") }.map(String.init) ?? ""
        let cells = line.split(separator: " ").map(String.init)
        #expect(cells.prefix(5) == ["shop", "web,worker", "healthy", "-", "up"], "\(table.stdout)")

        // The workflow state `up` records in the parent Secret gives the phase.
        let workflow = Data(#"{"phase":"executing","steps":[]}"#.utf8).base64EncodedString()
        let patched = try await cluster.kubectl(["patch", "secret", "tandem-shop", "--type=merge",
                                                 "-p", #"{"data":{"workflow":"\#(workflow)"}}"#])
        try #require(patched.status == 0, "\(patched.output)")

        // An Application object the controller manages, in another namespace.
        let crds = try await offCooperativePool { try Tandem.run(["install"]) }
        try #require(crds.status == 0, "\(crds.output)")
        let installed = try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: crds.stdout)
        try #require(installed.status == 0, "\(installed.output)")
        try #require(try await cluster.kubectl(["create", "namespace", "team"]).status == 0)
        let applied = try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: Self.managed)
        try #require(applied.status == 0, "\(applied.output)")
        let status = try await cluster.kubectl(["patch", "application", "billing", "-n", "team", "--subresource=status", "--type=merge",
                                                "-p", #"{"status":{"status":"running","workflow":{"phase":"succeeded"}}}"#])
        try #require(status.status == 0, "\(status.output)")

        let all = try await cluster.tandem(["ls", "-A", "-o", "json"])
        #expect(all.status == 0, "\(all.output)")
        let applications = try JSONReader().read(all.stdout).array ?? []
        let byName = Dictionary(applications.map { ($0["name"]?.string ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byName["shop"]?["workflowPhase"] == "executing", "\(all.stdout)")
        #expect(byName["shop"]?["managedBy"] == "up")
        #expect(byName["shop"]?["healthy"] == true)
        #expect(byName["billing"]?["namespace"] == "team", "\(all.stdout)")
        #expect(byName["billing"]?["managedBy"] == "controller")
        #expect(byName["billing"]?["components"] == ["api"])
        #expect(byName["billing"]?["health"] == "healthy")
        #expect(byName["billing"]?["workflowPhase"] == "succeeded")

        // Only the default namespace without -A; nothing in another is said on stderr.
        let here = try await cluster.tandem(["ls", "-o", "json"])
        #expect((try JSONReader().read(here.stdout).array ?? []).compactMap { $0["name"]?.string } == ["shop"], "\(here.output)")
        let empty = try await cluster.tandem(["ls", "-n", "nothing-here"])
        #expect(empty.status == 0 && empty.stdout.isEmpty, "\(empty.output)")
        #expect(empty.stderr.contains("no applications in namespace nothing-here"), "\(empty.stderr)")
    }
}
