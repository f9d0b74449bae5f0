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
}
