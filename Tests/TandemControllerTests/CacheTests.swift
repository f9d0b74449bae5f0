@testable import TandemController
import KubeClient
import KubeModel
import TandemJSON
import Synchronization
import Testing

/// What keeps the controller quiet at scale: watch events that change nothing it keeps queue
/// no pass, and a rollout's progress is written at most once per interval.
@Suite struct CacheTests {
    static func pod(version: String, phase: String, node: String? = nil) -> KubeObject {
        var json: JSONValue = [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": "web-1", "namespace": "shop", "resourceVersion": .string(version), "labels": ["app.oam.dev/name": "web"]],
            "spec": ["containers": [["name": "web", "image": "nginx"]]],
            "status": ["phase": .string(phase)],
        ]
        if let node { json[path: ["spec", "nodeName"]] = .string(node) }
        return Trimming.pod(KubeObject(json: json))
    }

    @Test func aPodEventThatChangesNothingKeptQueuesNoPass() {
        let owned = OwnedObjects()
        let group = OwnedObjects.PodGroup(namespace: "shop", application: "web")
        #expect(owned.applyPod(.upserted(Self.pod(version: "10", phase: "Pending"))) == [group])
        // Bound to a node: the pod's resourceVersion changes, nothing the controller keeps does.
        #expect(owned.applyPod(.upserted(Self.pod(version: "11", phase: "Pending", node: "node-1"))).isEmpty)
        #expect(owned.applyPod(.upserted(Self.pod(version: "12", phase: "Running", node: "node-1"))) == [group])
        #expect(owned.pods(namespace: "shop", application: "web").first?.resourceVersion == "12")
    }

    @Test func versionsAreComparedWhereverTheyAre() {
        let a = CompactObject(KubeObject(json: ["metadata": ["resourceVersion": "9"], "spec": ["x": "\"resourceVersion\":\"1\""]]))
        let b = CompactObject(KubeObject(json: ["metadata": ["resourceVersion": "10"], "spec": ["x": "\"resourceVersion\":\"1\""]]))
        let c = CompactObject(KubeObject(json: ["metadata": ["resourceVersion": "10"], "spec": ["x": "\"resourceVersion\":\"2\""]]))
        #expect(a.sameApartFromVersion(b))
        #expect(!b.sameApartFromVersion(c))
        #expect(!a.sameApartFromVersion(CompactObject(KubeObject(json: ["metadata": [:]]))))
    }

    @Test func aRolloutsProgressIsWrittenOncePerInterval() {
        let clock = ManualClock()
        let pacing = StatusPacing(interval: .seconds(5), now: clock.now)
        let key = ApplicationKey(namespace: "shop", name: "web")
        // The first status, reaching running and a failure are written at once.
        #expect(pacing.delay(key, previousPhase: nil, newPhase: .unhealthy, failing: false) == nil)
        pacing.wrote(key)
        #expect(pacing.delay(key, previousPhase: "unhealthy", newPhase: .running, failing: false) == nil)
        #expect(pacing.delay(key, previousPhase: "unhealthy", newPhase: .unhealthy, failing: true) == nil)
        // Progress right after a write waits for the rest of the interval.
        #expect(pacing.delay(key, previousPhase: "unhealthy", newPhase: .unhealthy, failing: false) == .seconds(5))
        clock.advance(.seconds(3))
        #expect(pacing.delay(key, previousPhase: "unhealthy", newPhase: .unhealthy, failing: false) == .seconds(2))
        clock.advance(.seconds(2))
        #expect(pacing.delay(key, previousPhase: "unhealthy", newPhase: .unhealthy, failing: false) == nil, "the interval is over")
        pacing.wrote(key)
        pacing.forget(key)
        #expect(pacing.delay(key, previousPhase: "unhealthy", newPhase: .unhealthy, failing: false) == nil)
    }
}

/// A clock that moves only when told to.
final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    @Sendable func now() -> ContinuousClock.Instant { instant.withLock { $0 } }

    func advance(_ duration: Duration) { instant.withLock { $0 += duration } }

    static func application(version: String, image: String, status: String? = nil) -> KubeObject {
        var json: JSONValue = [
            "apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
            "metadata": ["name": "web", "namespace": "shop", "resourceVersion": .string(version)],
            "spec": ["components": [["name": "web", "type": "worker", "properties": ["image": .string(image)]]]],
        ]
        if let status { json["status"] = ["status": .string(status)] }
        return Trimming.application(KubeObject(json: json))
    }

    /// The controller's status write is answered after the watch delivered the user's next
    /// change: the answer must not wind the cached version back (every later write, which has
    /// the version as its precondition, would then be refused until the Application changed again).
    @Test func aWriteAnsweredAfterANewerWatchEventLeavesTheWatchsVersion() {
        let cache = ApplicationCache()
        let key = ApplicationKey(namespace: "shop", name: "web")
        _ = cache.apply(.listed([Self.application(version: "4", image: "nginx:1")]))
        let startedAt = cache[key]?.resourceVersion
        // The user's change arrives while the status write is on its way...
        #expect(cache.apply(.upserted(Self.application(version: "6", image: "nginx:2"))) == [key])
        // ...and the write's answer (version 5) comes back after it.
        cache.update(key, ifAt: startedAt) { object in
            object.json["status"] = ["status": "running"]
            object.json[path: ["metadata", "resourceVersion"]] = "5"
        }
        #expect(cache[key]?.resourceVersion == "6")
        #expect(cache[key]?.json[path: ["spec", "components"]]?.array?.first?[path: ["properties", "image"]] == "nginx:2")

        // With no event in between, the answer is recorded, so the next pass compares with it.
        cache.update(key, ifAt: "6") { object in
            object.json["status"] = ["status": "running"]
            object.json[path: ["metadata", "resourceVersion"]] = "7"
        }
        #expect(cache[key]?.resourceVersion == "7")
        #expect(cache[key]?.json[path: ["status", "status"]] == "running")
    }
}
