import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// A custom policy written in CUE makes objects, as KubeVela's do: `tandem render` shows them,
/// `tandem up` applies them as members of the application's ApplySet and prunes them when the
/// policy goes — from a `--definitions` file and from a PolicyDefinition object on the cluster.
@Suite(.serialized, Kubectl.isNeeded) struct CustomPolicyEndToEndTests {
    static let definition = """
        "team-config": {
        \ttype:        "policy"
        \tdescription: "ConfigMaps saying which team owns the application"
        }
        template: {
        \toutput: {
        \t\tapiVersion: "v1"
        \t\tkind:       "ConfigMap"
        \t\tdata: {
        \t\t\tteam:        parameter.team
        \t\t\tapplication: context.appName
        \t\t\tnamespace:   context.namespace
        \t\t\trevision:    context.appRevision
        \t\t\tpolicy:      context.name
        \t\t}
        \t}
        \toutputs: contact: {
        \t\tapiVersion: "v1"
        \t\tkind:       "ConfigMap"
        \t\tmetadata: name: "\\(context.appName)-contact"
        \t\tdata: email: parameter.email
        \t}
        \tparameter: {
        \t\tteam:  string & =~"^[a-z]+$"
        \t\temail: *"ops@example.com" | string
        \t}
        }

        """

    static func application(team: String?) -> String {
        var text = """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: shop}
            spec:
              components:
                - name: web
                  type: worker
                  properties: {image: "nginx:1.27"}

            """
        if let team {
            text += """
                  policies:
                    - name: owners
                      type: team-config
                      properties: {team: \(team)}

                """
        }
        return text
    }

    @Test func renderShowsThePolicysObjectsAndABadValueIsLocated() async throws {
        let cluster = try TestCluster()
        let definition = try cluster.file("team-config.cue", Self.definition)
        let app = try cluster.file("shop.yaml", Self.application(team: "payments"))
        let render = try await Tandem.run(["render", app, "--definitions", definition, "-o", "json"])
        try #require(render.status == 0, "\(render.output)")
        let objects = try JSONReader().read(render.stdout)
        let items = objects.array ?? objects["items"]?.array ?? []
        let owners = try #require(items.first { $0[path: ["metadata", "name"]] == "owners" }, "\(render.stdout)")
        #expect(owners["kind"] == "ConfigMap")
        #expect(owners["data"] == ["team": "payments", "application": "shop", "namespace": "default", "revision": "shop-v1",
                                   "policy": "owners"])
        #expect(owners[path: ["metadata", "labels", "app.oam.dev/name"]] == "shop")
        let contact = items.first { $0[path: ["metadata", "name"]] == "shop-contact" }
        #expect(contact?[path: ["data", "email"]] == "ops@example.com")
        #expect(!render.stderr.contains("deploy time"), "\(render.stderr)")

        _ = try cluster.file("shop.yaml", Self.application(team: "Payments!"))
        let bad = try await Tandem.run(["render", app, "--definitions", definition])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("shop.yaml:12:"), "\(bad.stderr)")
        #expect(bad.stderr.contains("policies[0].properties.team"), "\(bad.stderr)")
    }

    @Test func upAppliesThePolicysObjectsAndPrunesThemWhenThePolicyGoes() async throws {
        let cluster = try TestCluster()
        let definition = try cluster.file("team-config.cue", Self.definition)
        let app = try cluster.file("shop.yaml", Self.application(team: "payments"))
        let up = try await cluster.tandem(["up", app, "--definitions", definition, "--timeout", "60s"])
        #expect(up.status == 0, "\(up.output)")
        #expect(!up.stderr.contains("does not act on"), "\(up.stderr)")
        #expect(up.stdout.contains("configmap/owners created"), "\(up.stdout)")
        let team = try await cluster.kubectl(["get", "configmap", "owners", "-o", "jsonpath={.data.team}"])
        #expect(team.stdout == "payments", "\(team.output)")
        let member = try await cluster.kubectl(["get", "configmap", "shop-contact", "-o", "jsonpath={.metadata.labels.applyset\\.kubernetes\\.io/part-of}"])
        #expect(!member.stdout.isEmpty, "a member of the application's ApplySet: \(member.output)")

        _ = try cluster.file("shop.yaml", Self.application(team: nil))
        let without = try await cluster.tandem(["up", app, "--definitions", definition, "--timeout", "60s"])
        #expect(without.status == 0, "\(without.output)")
        #expect(without.stdout.contains("configmap/owners pruned"), "\(without.stdout)")
        #expect(try await cluster.kubectl(["get", "configmap", "owners"]).status != 0)
        #expect(try await cluster.kubectl(["get", "configmap", "shop-contact"]).status != 0)
    }

    @Test func aPolicyDefinitionOnTheClusterActsToo() async throws {
        let cluster = try TestCluster()
        let install = try await Tandem.run(["install"])
        try #require(install.status == 0)
        try #require(try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: install.stdout).status == 0)
        let definition = try cluster.file("team-config.cue", Self.definition)
        let applied = try await cluster.tandem(["def", "apply", definition])
        try #require(applied.status == 0, "\(applied.output)")
        let app = try cluster.file("shop.yaml", Self.application(team: "payments"))
        let up = try await cluster.tandem(["up", app, "--timeout", "60s"])
        #expect(up.status == 0, "\(up.output)")
        let team = try await cluster.kubectl(["get", "configmap", "owners", "-o", "jsonpath={.data.team}"])
        #expect(team.stdout == "payments", "\(team.output)")
    }

    /// A policy whose template has no output only checks its parameters: nothing is rendered.
    @Test func aPolicyWithoutOutputOnlyValidates() async throws {
        let cluster = try TestCluster()
        let definition = try cluster.file("needs-owner.cue", """
            "needs-owner": {
            \ttype: "policy"
            }
            template: parameter: owner: string & =~"^[a-z]+$"

            """)
        func app(_ owner: String) throws -> String {
            try cluster.file("shop.yaml", """
                apiVersion: core.oam.dev/v1beta1
                kind: Application
                metadata: {name: shop}
                spec:
                  components:
                    - name: web
                      type: worker
                      properties: {image: "nginx:1.27"}
                  policies:
                    - name: owner
                      type: needs-owner
                      properties: {owner: \(owner)}

                """)
        }
        let good = try await Tandem.run(["render", try app("alice"), "--definitions", definition])
        #expect(good.status == 0, "\(good.output)")
        #expect(!good.stdout.contains("name: owner"), "\(good.stdout)")
        #expect(good.stderr.isEmpty, "no warning that it is not acted on: \(good.stderr)")
        let bad = try await Tandem.run(["render", try app("Alice"), "--definitions", definition])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("shop.yaml:12:"), "\(bad.stderr)")
    }
}
