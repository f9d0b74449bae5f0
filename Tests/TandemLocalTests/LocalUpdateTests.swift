import Foundation
@testable import TandemLocal
import Testing

/// What an update of a running application changes, worked out without podman: only the pods
/// whose template changed get a successor (a new revision, with podman names of its own), the
/// others keep their plan as it runs.
@Suite struct LocalUpdateTests {
    static func shop(api: String, replicas: Int = 2, worker: Bool = true) -> String {
        """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: shop}
        spec:
          components:
            - name: api
              type: webservice
              properties:
                image: busybox:1.36
                cmd: ["sh", "-c", "echo \(api); sleep 3600"]
                ports: [{port: 80, expose: true}]
              traits:
                - type: scaler
                  properties: {replicas: \(replicas)}
        """ + (worker ? """

            - name: worker
              type: worker
              properties:
                image: busybox:1.36
                cmd: ["sleep", "3600"]
        """ : "")
    }

    /// Translates `text` as an update of `running`, as `up --local` does.
    static func update(_ running: LocalPlan, to text: String) throws -> LocalPlan {
        let first = try TranslationTests.plan(text).get()
        let revisions = LocalUpdate.revisions(running: running, wanted: first)
        let wanted = try TranslationTests.plan(text, options: .init(nodeName: "laptop", revisions: revisions)).get()
        return LocalUpdate.merge(running: running, wanted: wanted)
    }

    @Test func onlyThePodsWhoseTemplateChangedGetASuccessor() throws {
        let running = try TranslationTests.plan(Self.shop(api: "v1")).get()
        let next = try Self.update(running, to: Self.shop(api: "v2"))
        #expect(next.generation == running.generation + 1)
        #expect(next.pods.map(\.podmanName) == ["shop_api-0.1", "shop_api-1.1", "shop_worker-0"])
        #expect(next.pods.map(\.name) == ["api-0", "api-1", "worker-0"], "a successor keeps its pod's name")
        #expect(next.pods[0].containers.map(\.podmanName) == ["shop_api-0.1_api"])
        let worker = try #require(running.pods.last)
        #expect(next.pods.last?.spec == worker.spec && next.pods.last?.podmanName == worker.podmanName, "the worker runs on as it is")
        #expect(LocalUpdate.added(running: running, wanted: next).map(\.podmanName) == ["shop_api-0.1", "shop_api-1.1"])
        #expect(LocalUpdate.services(running: running, wanted: next).create.isEmpty, "service/api is the same: its pod stays")

        let again = try Self.update(next, to: Self.shop(api: "v3"))
        #expect(again.pods.map(\.podmanName) == ["shop_api-0.2", "shop_api-1.2", "shop_worker-0"])
    }

    @Test func theSameApplicationChangesNothingAndScalingAddsOrRemovesPods() throws {
        let running = try TranslationTests.plan(Self.shop(api: "v1")).get()
        let same = try Self.update(running, to: Self.shop(api: "v1"))
        #expect(same.pods.map(\.podmanName) == running.pods.map(\.podmanName))
        #expect(LocalUpdate.added(running: running, wanted: same).isEmpty)

        let scaled = try Self.update(running, to: Self.shop(api: "v1", replicas: 3, worker: false))
        #expect(scaled.pods.map(\.podmanName) == ["shop_api-0", "shop_api-1", "shop_api-2"])
        #expect(LocalUpdate.added(running: running, wanted: scaled).map(\.name) == ["api-2"])
    }
}
