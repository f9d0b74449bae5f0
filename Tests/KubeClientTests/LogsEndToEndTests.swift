import Foundation
import KubeTestServer
import TandemJSON
import TandemTestSupport
import Testing

/// `tandem logs` on a cluster, against the API test server's `pods/NAME/log` (lines the test
/// writes), with the real kubectl reading the same logs as the judge of the server.
@Suite(.serialized, Kubectl.isNeeded) struct LogsEndToEndTests {
    static let shop = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: shop}
        spec:
          components:
            - name: web
              type: webservice
              properties: {image: shop/web:1}
              traits:
                - type: sidecar
                  properties: {name: proxy, image: shop/proxy:1}
            - name: batch
              type: worker
              properties: {image: shop/batch:1, cmd: ["sh", "-c", "work; exit 1"]}
        """

    /// A server, the application deployed, and commands against it.
    struct Cluster {
        let server: KubeTestServer
        let directory: URL
        var kubeconfig: String { directory.appendingPathComponent("kubeconfig").path }

        static func start() async throws -> Cluster {
            // A crash-looping container runs 3 s, then waits an hour before it restarts: its
            // previous run stays the previous one for as long as the test needs.
            let simulation = KubeTestServer.SimulationOptions(runDuration: .seconds(3), crashLoopInterval: .seconds(3600))
            let server = try await KubeTestServer.start(KubeTestServer.Options(simulation: simulation))
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-logs-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let cluster = Cluster(server: server, directory: directory)
            try server.writeKubeconfig(to: cluster.kubeconfig)
            let file = directory.appendingPathComponent("shop.yaml").path
            try LogsEndToEndTests.shop.write(toFile: file, atomically: true, encoding: .utf8)
            let up = try await cluster.tandem(["up", file, "--no-wait"])
            try #require(up.status == 0, "\(up.output)")
            let ready = try await cluster.kubectl(["wait", "--for=condition=Ready", "pod", "-l", "app.oam.dev/component=web", "--timeout=30s"])
            try #require(ready.status == 0, "\(ready.output)")
            return cluster
        }

        func tandem(_ arguments: [String]) async throws -> ProcessResult {
            try await offCooperativePool {
                try Tandem.run(arguments + ["--kubeconfig", kubeconfig], environment: ["NO_COLOR": "1", "HOME": directory.path])
            }
        }

        func kubectl(_ arguments: [String]) async throws -> ProcessResult {
            try await offCooperativePool { try Kubectl.run(["--kubeconfig", kubeconfig] + arguments) }
        }

        /// The names of the pods of a component.
        func pods(_ component: String) async throws -> [String] {
            let list = try await kubectl(["get", "pods", "-l", "app.oam.dev/component=\(component)", "-o", "name"])
            return list.stdout.split(separator: "\n").map { String($0.dropFirst("pod/".count)) }
        }

        func finish() async {
            try? await server.shutdown()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func logsPrefixesEveryContainerOfAComponentAndReadsAsKubectlDoes() async throws {
        let cluster = try await Cluster.start()
        let web = try #require(try await cluster.pods("web").first)
        cluster.server.appendLog(namespace: "default", pod: web, container: "web", "GET /1")
        cluster.server.appendLog(namespace: "default", pod: web, container: "proxy", "proxy up")
        cluster.server.appendLog(namespace: "default", pod: web, container: "web", "GET /2")

        let all = try await cluster.tandem(["logs", "shop", "--component", "web"])
        #expect(all.status == 0, "\(all.output)")
        #expect(all.stdout == "\(web)/web | GET /1\n\(web)/proxy | proxy up\n\(web)/web | GET /2\n", "\(all.output)")

        let one = try await cluster.tandem(["logs", "shop", "--component", "web", "-c", "web"])
        let judge = try await cluster.kubectl(["logs", web, "-c", "web"])
        #expect(judge.status == 0, "\(judge.output)")
        #expect(one.stdout == "GET /1\nGET /2\n", "\(one.output)")
        #expect(one.stdout == judge.stdout)

        let tail = try await cluster.tandem(["logs", "shop", "-c", "web", "--tail", "1"])
        #expect(tail.stdout == "GET /2\n", "\(tail.output)")
        #expect(try await cluster.kubectl(["logs", web, "-c", "web", "--tail", "1"]).stdout == tail.stdout)
        let recent = try await cluster.tandem(["logs", "shop", "-c", "web", "--since", "1h"])
        #expect(recent.stdout == "GET /1\nGET /2\n", "\(recent.output)")

        let unknown = try await cluster.tandem(["logs", "shop", "-c", "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("application shop has no container nope; its containers: batch, proxy, web"), "\(unknown.stderr)")
        let missing = try await cluster.tandem(["logs", "nothing"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("application nothing is not deployed in namespace default"), "\(missing.stderr)")
        await cluster.finish()
    }

    @Test func previousReadsTheRunBeforeTheLastRestart() async throws {
        let cluster = try await Cluster.start()
        let batch = try #require(try await cluster.pods("batch").first)
        let running = try await cluster.kubectl(["wait", "pod/\(batch)", "--for=jsonpath={.status.containerStatuses[0].started}=true",
                                                 "--timeout=30s"])
        try #require(running.status == 0, "\(running.output)")
        cluster.server.appendLog(namespace: "default", pod: batch, container: "batch", "working on order 7")
        cluster.server.appendLog(namespace: "default", pod: batch, container: "batch", "order 7 failed")
        let restarted = try await cluster.kubectl(["wait", "pod/\(batch)", "--for=jsonpath={.status.containerStatuses[0].restartCount}=1",
                                                   "--timeout=30s"])
        try #require(restarted.status == 0, "\(restarted.output)")

        let previous = try await cluster.tandem(["logs", "shop", "--component", "batch", "--previous"])
        #expect(previous.status == 0, "\(previous.output)")
        #expect(previous.stdout == "working on order 7\norder 7 failed\n", "\(previous.output)")
        let judge = try await cluster.kubectl(["logs", batch, "--previous"])
        #expect(judge.stdout == previous.stdout, "\(judge.output)")
        // The web containers have not restarted: they have no previous run to show.
        let none = try await cluster.tandem(["logs", "shop", "--component", "web", "--previous"])
        #expect(none.status == 2 && none.stderr.contains("has no container that has restarted yet"), "\(none.output)")
        await cluster.finish()
    }

    @Test func followGoesOnWithTheNewPodsOfARollout() async throws {
        let cluster = try await Cluster.start()
        let old = try #require(try await cluster.pods("web").first)
        cluster.server.appendLog(namespace: "default", pod: old, container: "web", "old 1")
        let follow = try RunningProcess([Tandem.executable.path, "logs", "shop", "--component", "web", "-c", "web", "-f",
                                         "--kubeconfig", cluster.kubeconfig], environment: ["NO_COLOR": "1", "HOME": cluster.directory.path])
        #expect(await follow.awaitOutput { $0.contains("\(old)/web | old 1\n") }, "\(follow.output)\(follow.errors)")
        cluster.server.appendLog(namespace: "default", pod: old, container: "web", "old 2")
        #expect(await follow.awaitOutput { $0.contains("\(old)/web | old 2\n") }, "\(follow.output)\(follow.errors)")

        let changed = try await cluster.kubectl(["set", "image", "deployment/web", "web=shop/web:2"])
        try #require(changed.status == 0, "\(changed.output)")
        let rolled = try await cluster.kubectl(["rollout", "status", "deployment/web", "--timeout=30s"])
        try #require(rolled.status == 0, "\(rolled.output)")
        let new = try #require(try await cluster.pods("web").first { $0 != old }, "no new pod")
        cluster.server.appendLog(namespace: "default", pod: new, container: "web", "new 1")
        #expect(await follow.awaitOutput { $0.contains("\(new)/web | new 1\n") }, "\(follow.output)\(follow.errors)")
        #expect(follow.output.components(separatedBy: "old 1").count == 2, "each line once: \(follow.output)")
        await follow.stop()
        await cluster.finish()
    }
}
