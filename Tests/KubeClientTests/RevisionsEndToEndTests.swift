import Foundation
import KubeTestServer
import TandemJSON
import TandemTestSupport
import Testing

/// `tandem up` records revisions, `tandem revisions` lists them and `tandem rollback` deploys
/// one again, as a user runs them against the API test server; kubectl reads what they keep.
@Suite(.serialized, Kubectl.isNeeded) struct RevisionsEndToEndTests {
    static let labelDefinition = PackagePaths.root.appendingPathComponent("Tests/KubeClientTests/Fixtures/revisions/revision-label.cue").path

    static func shop(image: String) -> String {
        """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: shop}
        spec:
          components:
            - name: web
              type: worker
              properties: {image: "\(image)"}
        """
    }

    static func site(image: String) -> String {
        """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: site}
        spec:
          components:
            - name: web
              type: revision-label
              properties: {image: "\(image)"}
        """
    }

    static func revisions(_ cluster: TestCluster, _ application: String) async throws -> JSONValue {
        let listed = try await cluster.tandem(["revisions", application, "-o", "json"])
        try #require(listed.status == 0, "\(listed.output)")
        return try JSONReader().read(listed.stdout)
    }

    static func image(_ cluster: TestCluster) async throws -> String {
        try await cluster.kubectl(["get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}"]).stdout
    }

    /// Without the ApplicationRevision kind (no tandem install): Secrets, as Helm keeps releases.
    @Test func upRecordsRevisionsInSecretsAndRollbackRestoresThePreviousOne() async throws {
        let cluster = try TestCluster()
        let file = try cluster.file("shop.yaml", Self.shop(image: "shop/web:1"))
        let first = try await cluster.tandem(["up", file, "--timeout", "60s"])
        try #require(first.status == 0, "\(first.output)")
        #expect(first.stdout.contains("application shop is revision 1"), "\(first.stdout)")
        // Unchanged: the same revision, nothing recorded.
        let again = try await cluster.tandem(["up", file, "--timeout", "60s"])
        #expect(again.status == 0 && !again.stdout.contains("is revision"), "\(again.output)")
        _ = try cluster.file("shop.yaml", Self.shop(image: "shop/web:2"))
        let second = try await cluster.tandem(["up", file, "--timeout", "60s"])
        #expect(second.status == 0 && second.stdout.contains("application shop is revision 2"), "\(second.output)")

        let listed = try await Self.revisions(cluster, "shop")
        #expect(listed["storedAs"] == "Secret")
        let items = listed["revisions"]?.array ?? []
        #expect(items.compactMap { $0["name"]?.string } == ["shop-v1", "shop-v2"])
        #expect(items.compactMap { $0["current"]?.bool } == [false, true])
        #expect(items.last?["changes"] == "component web changed")
        let secrets = try await cluster.kubectl(["get", "secrets", "--field-selector", "type=tandem.oam.dev/revision", "-o", "name"])
        #expect(secrets.stdout.split(separator: "\n").sorted() == ["secret/tandem.revision.shop.v1", "secret/tandem.revision.shop.v2"],
                "\(secrets.output)")

        // Rollback: the previous revision, deployed as up deploys, recorded as a new one.
        let rollback = try await cluster.tandem(["rollback", "shop", "--timeout", "60s"])
        #expect(rollback.status == 0, "\(rollback.output)")
        #expect(rollback.stdout.contains("deployment.apps/web configured"), "\(rollback.stdout)")
        #expect(rollback.stdout.contains("application shop is revision 3 (restores revision 1)"), "\(rollback.stdout)")
        #expect(try await Self.image(cluster) == "shop/web:1")
        let after = try await Self.revisions(cluster, "shop")["revisions"]?.array ?? []
        #expect(after.last?["name"] == "shop-v3" && after.last?["restores"] == 1 && after.last?["current"] == true)

        // vela's workflow rollback: the revision before the current, again a new revision.
        let workflowRollback = try await cluster.tandem(["workflow", "rollback", "shop"])
        #expect(workflowRollback.status == 0, "\(workflowRollback.output)")
        #expect(workflowRollback.stdout.contains("application shop is revision 4 (restores revision 2)"), "\(workflowRollback.stdout)")
        #expect(try await Self.image(cluster) == "shop/web:2")

        let text = try await cluster.tandem(["revisions", "shop"])
        #expect(text.stdout.contains("REVISION") && text.stdout.contains("restores v1"), "\(text.stdout)")
        let missing = try await cluster.tandem(["rollback", "shop", "--revision", "9"])
        #expect(missing.status == 2 && missing.stderr.contains("has no revision 9; kept: 1, 2, 3, 4"), "\(missing.output)")
        let current = try await cluster.tandem(["rollback", "shop", "--revision", "4"])
        #expect(current.status == 2 && current.stderr.contains("shop-v4 is the current revision"), "\(current.output)")
        let unknown = try await cluster.tandem(["revisions", "nothing"])
        #expect(unknown.status == 2 && unknown.stderr.contains("application nothing has no revisions"), "\(unknown.output)")
        let local = try await cluster.tandem(["revisions", "shop", "--local"])
        #expect(local.status == 64 && local.stderr.contains("revisions are kept on a cluster only"), "\(local.output)")
        let localRollback = try await cluster.tandem(["rollback", "shop", "--local"])
        #expect(localRollback.status == 64 && localRollback.stderr.contains("revisions are kept on a cluster only"), "\(localRollback.output)")

        // A server dry run records nothing; delete takes the history with the application.
        _ = try cluster.file("shop.yaml", Self.shop(image: "shop/web:3"))
        let dryRun = try await cluster.tandem(["up", file, "--dry-run=server"])
        #expect(dryRun.status == 0 && !dryRun.stdout.contains("is revision"), "\(dryRun.output)")
        #expect(try await Self.revisions(cluster, "shop")["revisions"]?.array?.count == 4)
        let deleted = try await cluster.tandem(["delete", "shop"])
        #expect(deleted.status == 0 && deleted.stdout.contains("its 4 revisions deleted"), "\(deleted.output)")
        let none = try await cluster.kubectl(["get", "secrets", "--field-selector", "type=tandem.oam.dev/revision", "-o", "name"])
        #expect(none.stdout.isEmpty, "\(none.output)")
    }

    /// With tandem install's CRD: ApplicationRevision objects that kubectl reads, a custom
    /// definition kept with each revision, and `context.appRevision` naming the revision rendered.
    @Test func applicationRevisionsKeepTheDefinitionsAndNameTheRevisionRendered() async throws {
        let cluster = try TestCluster()
        let install = try await Tandem.run(["install"])
        try #require(install.status == 0)
        try #require(try await cluster.kubectl(["apply", "--server-side", "-f", "-"], stdin: install.stdout).status == 0)
        let file = try cluster.file("site.yaml", Self.site(image: "nginx:1.27"))
        func up(_ definitions: String = Self.labelDefinition) async throws -> ProcessResult {
            try await cluster.tandem(["up", file, "--definitions", definitions, "--timeout", "60s"])
        }
        func label() async throws -> String {
            try await cluster.kubectl(["get", "deployment", "web", "-o", "jsonpath={.metadata.labels.revision}"]).stdout
        }
        try #require(try await up().status == 0)
        #expect(try await label() == "site-v1")
        _ = try cluster.file("site.yaml", Self.site(image: "nginx:1.28"))
        let second = try await up()
        #expect(second.status == 0 && second.stdout.contains("application site is revision 2"), "\(second.output)")
        #expect(try await label() == "site-v2")
        // diff renders as the revision up would deploy: nothing differs.
        let diff = try await cluster.tandem(["diff", file, "--definitions", Self.labelDefinition, "--exit-code"])
        #expect(diff.status == 0 && diff.stdout.isEmpty, "\(diff.output)")

        let table = try await cluster.kubectl(["get", "applicationrevisions"])
        #expect(table.status == 0, "\(table.output)")
        let listed = try await Self.revisions(cluster, "site")
        #expect(listed["storedAs"] == "ApplicationRevision")
        let digests = (listed["revisions"]?.array ?? []).compactMap { $0["digest"]?.string }
        for (name, digest) in zip(["site-v1", "site-v2"], digests) {
            #expect(table.stdout.split(separator: "\n").contains { $0.hasPrefix(name) && $0.contains(digest) }, "\(table.stdout)")
        }
        let kept = try await cluster.kubectl(["get", "apprev", "site-v1", "-o",
                                              "jsonpath={.spec.componentDefinitions.revision-label.kind} {.spec.application.spec.components[0].properties.image}"])
        #expect(kept.stdout == "ComponentDefinition nginx:1.27", "\(kept.output)")

        // A changed definition is a new revision too.
        let changed = try String(contentsOfFile: Self.labelDefinition, encoding: .utf8)
            .replacingOccurrences(of: "\"revision-number\":", with: "tier: \"web\"\n\t\t\t\"revision-number\":")
        let changedFile = try cluster.file("revision-label.cue", changed)
        let third = try await up(changedFile)
        #expect(third.status == 0 && third.stdout.contains("application site is revision 3"), "\(third.output)")
        let changes = try await Self.revisions(cluster, "site")["revisions"]?.array?.last?["changes"]
        #expect(changes == "definition revision-label changed")

        // Rolling back to the first renders it with the definition it kept, as revision 4.
        let rollback = try await cluster.tandem(["rollback", "site", "--revision", "1", "--timeout", "60s"])
        #expect(rollback.status == 0 && rollback.stdout.contains("application site is revision 4 (restores revision 1)"), "\(rollback.output)")
        #expect(try await label() == "site-v4")
        #expect(try await Self.image(cluster) == "nginx:1.27")
        let tier = try await cluster.kubectl(["get", "deployment", "web", "-o", "jsonpath={.metadata.labels.tier}"])
        #expect(tier.stdout.isEmpty, "the first revision's definition writes no tier label: \(tier.output)")
    }
}

/// A user the cluster does not let read or write revisions still deploys, and is told so.
@Suite struct RevisionsForbiddenTests {
    @Test func upDeploysWhenRevisionsCannotBeReadOrWritten() async throws {
        // With the ApplicationRevision kind served, whose requests alone the faults below match.
        let (server, client, _) = try await RevisionStoreTests.store(.applicationRevisions)
        defer { Task { await client.shutdown(); try? await server.shutdown() } }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-revisions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        let file = directory.appendingPathComponent("shop.yaml").path
        try RevisionsEndToEndTests.shop(image: "shop/web:1").write(toFile: file, atomically: true, encoding: .utf8)
        func up() async throws -> ProcessResult {
            try await offCooperativePool { try Tandem.run(["up", file, "--kubeconfig", kubeconfig, "--no-wait"]) }
        }

        // Not allowed to write the revision: deployed, and warned.
        await server.inject(.status(403, method: "PATCH", path: "/apis/core.oam.dev/v1beta1/namespaces/default/applicationrevisions/shop-v1"))
        let unwritten = try await up()
        #expect(unwritten.status == 0, "\(unwritten.output)")
        #expect(unwritten.stderr.contains("application shop is deployed, but its revision 1 could not be recorded"), "\(unwritten.stderr)")
        #expect(await server.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "web") != nil)

        // Not allowed to read them: deployed, with a note.
        try RevisionsEndToEndTests.shop(image: "shop/web:2").write(toFile: file, atomically: true, encoding: .utf8)
        await server.inject(.status(403, method: "GET", path: "/apis/core.oam.dev/v1beta1/namespaces/default/applicationrevisions"))
        let unread = try await up()
        #expect(unread.status == 0, "\(unread.output)")
        #expect(unread.stderr.contains("tandem: note: application shop keeps no revisions"), "\(unread.stderr)")
        let image = await server.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "web")?[
            path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"]
        #expect(image == "shop/web:2")
    }
}
