import Foundation
import KubeClient
import KubeModel
import KubeTestServer
import Logging
import TandemController
import TandemJSON
import TandemTestSupport
import Testing

/// The controller in this process against the API test server: Applications created, changed,
/// shrunk, deleted, invalid; watches that break; two replicas and one Lease.
@Suite struct ControllerTests {
    /// A server with the Application CRD installed, a client, and controllers to stop at the end.
    final class Setup: @unchecked Sendable {
        let server: KubeTestServer
        let client: KubeClient
        var runs: [(Controller, Task<Void, any Error>)] = []
        /// Each replica's own client, whose User-Agent (`tandem-IDENTITY`) tells its requests apart.
        var replicaClients: [KubeClient] = []
        /// What the controllers logged, shown when a wait times out.
        let log = RecordedLog()

        init(simulation: Bool = true) async throws {
            var options = KubeTestServer.Options()
            if !simulation { options.simulation = .off }
            server = try await KubeTestServer.start(options)
            client = try KubeClient(ClusterConnection(server: server.url))
            try await client.apply(KubeObject(json: ApplicationDefinition.crd))
            try await client.apply(KubeObject(json: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "tandem-system"]]))
            for _ in 0..<100 where (try? await client.resource(for: ApplicationKey.gvk)) == nil {
                await client.forgetDiscovery()
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        @discardableResult
        func start(identity: String = "a", leaderElection: Bool = false, revisionLimit: Int? = nil,
                   timing: LeaderElector.Timing = .init(leaseDuration: .seconds(2), renewDeadline: .seconds(1), retryPeriod: .milliseconds(200)))
            throws -> Controller {
            let log = self.log
            var logger = ProcessInfo.processInfo.environment["TANDEM_TEST_LOG"] == nil
                ? Logger(label: "test") { log.handler(label: $0) } : Logger(label: "test")
            logger.logLevel = .info
            logger[metadataKey: "replica"] = "\(identity)"
            let replicaClient = try KubeClient(ClusterConnection(server: server.url), userAgent: "tandem-\(identity)")
            replicaClients.append(replicaClient)
            var configuration = ControllerConfiguration(
                concurrency: 4, resync: .seconds(30), leaderElection: leaderElection, leaseNamespace: "tandem-system",
                identity: identity, leaseTiming: timing, tooling: "tandem/test")
            if let revisionLimit { configuration.revisionLimit = revisionLimit }
            let controller = Controller(client: replicaClient, configuration: configuration, logger: logger)
            runs.append((controller, Task { try await controller.run() }))
            return controller
        }

        func finish() async {
            for (controller, task) in runs {
                await controller.stop()
                _ = await task.result
            }
            for replicaClient in replicaClients { await replicaClient.shutdown() }
            await client.shutdown()
            try? await server.shutdown()
        }

        func apply(_ yaml: JSONValue) async throws {
            try await client.managed(by: "kubectl").apply(KubeObject(json: yaml))
        }

        func application(_ name: String) async -> JSONValue? {
            await server.object(apiVersion: "core.oam.dev/v1beta1", kind: "Application", namespace: "default", name: name)
        }

        func deployment(_ name: String) async -> JSONValue? {
            await server.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: name)
        }

        /// Requests to the Lease by the replica `identity`, in order.
        func leaseRequests(by identity: String) async -> [RecordedRequest] {
            await server.requests().filter { $0.path.hasSuffix("/leases/tandem-controller") && $0.userAgent == "tandem-\(identity)" }
        }

        /// How many passes of the replica's controller ended with `result` ("success" or "error").
        func reconciles(_ controller: Controller, _ result: String) -> Int {
            let text = String(decoding: controller.metrics.exposition(), as: UTF8.self)
            let line = text.split(separator: "\n").first { $0.hasPrefix("tandem_reconciles_total{result=\"\(result)\"}") }
            return line.flatMap { $0.split(separator: " ").last }.flatMap { Int($0) } ?? 0
        }

        /// Waits until `condition` holds (up to 60 s: the bound of a failure on a loaded machine).
        func eventually(_ what: String, _ condition: () async -> Bool) async -> Bool {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if await condition() { return true }
                try? await Task.sleep(for: .milliseconds(50))
            }
            if await condition() { return true }
            Issue.record("never: \(what)\nthe controllers' log:\n\(log.tail())")
            return false
        }
    }

    static func application(_ name: String, components: [JSONValue]) -> JSONValue {
        ["apiVersion": "core.oam.dev/v1beta1", "kind": "Application", "metadata": ["name": .string(name), "namespace": "default"],
         "spec": ["components": .array(components)]]
    }

    static func worker(_ name: String, image: String = "busybox:1.36", sidecar: Bool = true) -> JSONValue {
        var component: JSONObject = ["name": .string(name), "type": "worker", "properties": ["image": .string(image)]]
        if sidecar {
            component.append("traits", [["type": "sidecar", "properties": ["name": "shipper", "image": "busybox:1.36",
                                                                          "cmd": ["sh", "-c", "sleep 3600"]]]])
        }
        return .object(component)
    }

    @Test func createUpdateShrinkAndDelete() async throws {
        let setup = try await Setup()
        try setup.start()
        try await setup.apply(Self.application("shop", components: [Self.worker("web"), Self.worker("jobs", sidecar: false)]))
        #expect(await setup.eventually("shop is running") { await setup.application("shop")?[path: ["status", "status"]] == "running" })
        let status = await setup.application("shop")?["status"]
        #expect(status?["observedGeneration"] == 1)
        let services = status?["services"]?.array ?? []
        #expect(services.compactMap { $0["name"]?.string }.sorted() == ["jobs", "web"])
        #expect(services.allSatisfy { $0["healthy"] == true })
        #expect(services.first { $0["name"] == "web" }?["traits"]?.array?.first?["type"] == "sidecar")
        let containers = await setup.deployment("web")?[path: ["spec", "template", "spec", "containers"]]?.array ?? []
        #expect(containers.compactMap { $0["name"]?.string } == ["web", "shipper"], "the Deployment carries the sidecar")
        let finalizers = await setup.application("shop")?[path: ["metadata", "finalizers"]]?.strings ?? []
        #expect(finalizers.contains("tandem.oam.dev/delete-owned-objects"))

        // A changed image rolls out.
        try await setup.apply(Self.application("shop", components: [Self.worker("web", image: "busybox:1.37"), Self.worker("jobs", sidecar: false)]))
        #expect(await setup.eventually("the new image is applied") {
            await setup.deployment("web")?[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"] == "busybox:1.37"
        })
        #expect(await setup.eventually("generation 2 is observed and running") {
            let status = await setup.application("shop")?["status"]
            return status?["observedGeneration"] == 2 && status?["status"] == "running"
        })

        // A removed component is pruned.
        try await setup.apply(Self.application("shop", components: [Self.worker("web", image: "busybox:1.37")]))
        #expect(await setup.eventually("jobs is pruned") { await setup.deployment("jobs") == nil })
        #expect(await setup.deployment("web") != nil)

        // Deleting the Application deletes what it owned, then the Application.
        try await setup.client.delete(ObjectReference(gvk: ApplicationKey.gvk, namespace: "default", name: "shop"))
        #expect(await setup.eventually("the Application is gone") { await setup.application("shop") == nil })
        #expect(await setup.deployment("web") == nil)
        await setup.finish()
    }

    @Test func anInvalidApplicationGetsAConditionAndAnEvent() async throws {
        let setup = try await Setup(simulation: false)
        let controller = try setup.start()
        let invalid = Self.application("broken", components: [["name": "web", "type": "worker", "properties": ["imagee": "x"]]])
        try await setup.apply(invalid)
        #expect(await setup.eventually("broken has failed") { await setup.application("broken")?[path: ["status", "status"]] == "failed" })
        let condition = await setup.application("broken")?[path: ["status", "conditions"]]?.array?.first
        #expect(condition?["type"] == "Parsed" && condition?["status"] == "False")
        #expect(condition?["message"]?.string?.contains("unknown property 'imagee'") == true, "\(String(describing: condition))")
        #expect(await setup.eventually("an event names the problem") {
            await setup.server.objects(apiVersion: "v1", kind: "Event", namespace: "default").contains {
                $0["reason"] == "InvalidApplication" && $0[path: ["involvedObject", "name"]] == "broken"
                    && $0["message"]?.string?.contains("imagee") == true
            }
        })
        // Not retried in a hot loop: the pass ends without asking for a retry...
        #expect(await setup.eventually("broken's pass has ended") { setup.reconciles(controller, "success") >= 1 })
        #expect(setup.reconciles(controller, "error") == 0, "an invalid Application is not retried")
        // ...and the controller still works: once an Application applied after it has its status
        // (so the watch has brought broken's own status change back), broken has one status write.
        try await setup.apply(Self.application("fine", components: [Self.worker("ok", sidecar: false)]))
        #expect(await setup.eventually("fine is applied and has a status") {
            let status = await setup.application("fine")?[path: ["status", "observedGeneration"]]
            return await setup.deployment("ok") != nil && status == 1
        })
        let writes = await setup.server.requests().filter { $0.path.hasSuffix("/applications/broken/status") }
        #expect(writes.count == 1)
        #expect(setup.reconciles(controller, "error") == 0)
        await setup.finish()
    }

    @Test func watchesSurviveGoneAndBrokenConnections() async throws {
        let setup = try await Setup(simulation: false)
        try setup.start()
        try await setup.apply(Self.application("one", components: [Self.worker("one", sidecar: false)]))
        #expect(await setup.eventually("one is applied") { await setup.deployment("one") != nil })
        // The Applications' watch is cut, then refused as too old: the controller resumes, lists again.
        let path = "/apis/core.oam.dev/v1beta1/applications"
        await setup.server.inject(.status(410, method: "GET", path: path))
        await setup.server.inject(.cutWatch(afterEvents: 0, path: path))
        try await setup.apply(Self.application("two", components: [Self.worker("two", sidecar: false)]))
        #expect(await setup.eventually("two is applied") { await setup.deployment("two") != nil })
        await setup.finish()
    }

    @Test func aSecondReplicaTakesTheLeaseWhenTheFirstStops() async throws {
        let setup = try await Setup(simulation: false)
        // A long lease, so that taking over well before it would expire shows the release worked.
        let timing = LeaderElector.Timing(leaseDuration: .seconds(30), renewDeadline: .seconds(20), retryPeriod: .milliseconds(200))
        let first = try setup.start(identity: "first", leaderElection: true, timing: timing)
        #expect(await setup.eventually("first leads") { first.isLeading })
        let second = try setup.start(identity: "second", leaderElection: true, timing: timing)
        // Two looks at the Lease: the first has been answered and judged.
        #expect(await setup.eventually("second has looked at the Lease twice") { await setup.leaseRequests(by: "second").count >= 2 })
        #expect(!second.isLeading, "one leader at a time")
        await first.stop()
        #expect(await setup.eventually("second leads") { second.isLeading })
        // Taken at its first look after the release, not once the 30 s lease expired.
        let log = await setup.server.requests().filter { $0.path.hasSuffix("/leases/tandem-controller") }
        let release = try #require(log.lastIndex { $0.userAgent == "tandem-first" && $0.method == "PUT" }, "first released the Lease")
        let afterRelease = log[(release + 1)...].filter { $0.userAgent == "tandem-second" }.map(\.method)
        #expect(afterRelease.prefix(2) == ["GET", "PUT"], "\(afterRelease)")
        #expect(!log[..<release].contains { $0.userAgent == "tandem-second" && $0.method == "PUT" }, "second wrote no Lease while first held it")
        let lease = await setup.server.object(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "tandem-system",
                                              name: "tandem-controller")
        #expect(lease?[path: ["spec", "holderIdentity"]] == "second")
        #expect(lease?[path: ["spec", "leaseTransitions"]] == 1)
        await setup.finish()
    }

    @Test func anExpiredLeaseIsTakenOver() async throws {
        let setup = try await Setup(simulation: false)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        // A holder that took the Lease and then vanished without releasing it.
        let vanished = LeaderElector(client: setup.client, namespace: "tandem-system", identity: "vanished",
                                     timing: .init(leaseDuration: .seconds(2), renewDeadline: .seconds(1), retryPeriod: .milliseconds(200)),
                                     logger: logger)
        try await vanished.acquire()
        let successor = try setup.start(identity: "successor", leaderElection: true)
        #expect(await setup.eventually("the successor leads once the Lease expired") { successor.isLeading })
        // Not before the 2 s lease had gone unrenewed from its first look (the server's clock,
        // which stamped both requests).
        let looks = await setup.leaseRequests(by: "successor")
        let firstLook = try #require(looks.first { $0.method == "GET" }?.date)
        let takeover = try #require(looks.first { $0.method == "PUT" }?.date)
        #expect(takeover.timeIntervalSince(firstLook) >= 2, "taken \(takeover.timeIntervalSince(firstLook)) s after the first look")
        await setup.finish()
    }
}
