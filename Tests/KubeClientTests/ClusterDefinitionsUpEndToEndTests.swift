import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// `tandem up` and `diff` render with the cluster's definitions: `vela-system`'s, the
/// Application's namespace's over them, and `--definitions` files over both.
@Suite(.serialized, Kubectl.isNeeded) struct ClusterDefinitionsUpEndToEndTests {
    /// A component whose Deployment says, in a label, which copy of the definition made it.
    static func definition(tier: String) -> String {
        """
        "labelled": {
        \ttype: "component"
        \tdescription: "A Deployment labelled \(tier)"
        \tattributes: workload: definition: {apiVersion: "apps/v1", kind: "Deployment"}
        }
        template: {
        \toutput: {
        \t\tapiVersion: "apps/v1"
        \t\tkind:       "Deployment"
        \t\tmetadata: labels: tier: "\(tier)"
        \t\tspec: {
        \t\t\tselector: matchLabels: app: context.name
        \t\t\ttemplate: {
        \t\t\t\tmetadata: labels: app: context.name
        \t\t\t\tspec: containers: [{name: context.name, image: parameter.image}]
        \t\t\t}
        \t\t}
        \t}
        \tparameter: image: string
        }

        """
    }

    static func application(namespace: String?) -> String {
        """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: site\(namespace.map { ", namespace: \($0)" } ?? "")}
        spec:
          components:
            - name: web
              type: labelled
              properties: {image: "nginx:1.27"}
        """
    }

    static func installed() async throws -> TestCluster {
        let cluster = try TestCluster()
        let install = try await Tandem.run(["install"])
        try #require(install.status == 0)
        try #require(try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: install.stdout).status == 0)
        try #require(try await cluster.kubectl(["create", "namespace", "shop"]).status == 0)
        return cluster
    }

    static func tier(_ cluster: TestCluster, namespace: String) async throws -> String {
        try await cluster.kubectl(["get", "deployment", "web", "-n", namespace, "-o", "jsonpath={.metadata.labels.tier}"]).stdout
    }

    @Test func theApplicationsNamespaceWinsOverVelaSystemAndFilesOverBoth() async throws {
        let cluster = try await Self.installed()
        let base = try cluster.file("base-labelled.cue", Self.definition(tier: "base"))
        let shop = try cluster.file("shop-labelled.cue", Self.definition(tier: "shop"))
        let local = try cluster.file("local-labelled.cue", Self.definition(tier: "local"))
        try #require(try await cluster.tandem(["def", "apply", base]).status == 0)
        try #require(try await cluster.tandem(["def", "apply", "-n", "shop", shop]).status == 0)

        // The default namespace has only vela-system's definition.
        let inDefault = try cluster.file("default.yaml", Self.application(namespace: nil))
        let up = try await cluster.tandem(["up", inDefault, "--no-wait"])
        #expect(up.status == 0, "\(up.output)")
        #expect(try await Self.tier(cluster, namespace: "default") == "base")

        // shop's own definition wins, whether the namespace is the Application's or -n's.
        let inShop = try cluster.file("shop.yaml", Self.application(namespace: "shop"))
        let upShop = try await cluster.tandem(["up", inShop, "--no-wait"])
        #expect(upShop.status == 0, "\(upShop.output)")
        #expect(try await Self.tier(cluster, namespace: "shop") == "shop")
        let diffByFlag = try await cluster.tandem(["diff", inDefault, "-n", "shop", "--exit-code"])
        #expect(diffByFlag.status == 0, "\(diffByFlag.output)")

        // A --definitions file wins over both: diff shows the label changing, up makes it so.
        let diff = try await cluster.tandem(["diff", inShop, "--definitions", local, "--exit-code"])
        #expect(diff.status == 3 && diff.stdout.contains("+    tier: local"), "\(diff.output)")
        let upLocal = try await cluster.tandem(["up", inShop, "--definitions", local, "--no-wait"])
        #expect(upLocal.status == 0, "\(upLocal.output)")
        #expect(try await Self.tier(cluster, namespace: "shop") == "local")
    }

    @Test func aBrokenClusterDefinitionIsALocatedErrorNamingTheObject() async throws {
        let cluster = try await Self.installed()
        // kubectl takes what tandem def apply would refuse.
        let broken = """
            apiVersion: core.oam.dev/v1beta1
            kind: ComponentDefinition
            metadata: {name: labelled, namespace: vela-system}
            spec:
              workload: {definition: {apiVersion: apps/v1, kind: Deployment}}
              schematic: {cue: {template: "output: {\\n"}}
            """
        let applied = try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: broken)
        try #require(applied.status == 0, "\(applied.output)")
        let app = try cluster.file("app.yaml", Self.application(namespace: nil))
        let up = try await cluster.tandem(["up", app, "--no-wait"])
        #expect(up.status == 1, "\(up.output)")
        #expect(up.stderr.contains("componentdefinition vela-system/labelled (in the cluster)"), "\(up.stderr)")
        #expect(try await cluster.kubectl(["get", "deployment", "web"]).status != 0, "nothing is deployed")

        // An application that does not use it is not held up by it.
        let other = try cluster.file("other.yaml", """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: other}
            spec:
              components:
                - name: api
                  type: webservice
                  properties: {image: "nginx:1.27"}
            """)
        let upOther = try await cluster.tandem(["up", other, "--no-wait"])
        #expect(upOther.status == 0, "\(upOther.output)")

        // A cluster definition named like a built-in replaces it, and the note says where it is.
        let webservice = try cluster.file("webservice.cue", Self.definition(tier: "cluster").replacingOccurrences(of: "\"labelled\"", with: "\"webservice\""))
        try #require(try await cluster.tandem(["def", "apply", webservice]).status == 0)
        let fresh = try cluster.file("fresh.yaml", """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: fresh}
            spec:
              components:
                - name: fresh
                  type: webservice
                  properties: {image: "nginx:1.27"}
            """)
        let replaced = try await cluster.tandem(["up", fresh, "--no-wait"])
        #expect(replaced.status == 0, "\(replaced.output)")
        #expect(replaced.stderr.contains("tandem: note: the component webservice in the cluster replaces the built-in one"), "\(replaced.stderr)")
        #expect(try await cluster.kubectl(["get", "deployment", "fresh", "-o", "jsonpath={.metadata.labels.tier}"]).stdout == "cluster")
    }
}
