import Foundation
import KubeClient
import KubeModel
import Logging
import TandemJSON

/// Exactly one active controller through a `coordination.k8s.io/v1` Lease, as client-go's
/// leader election does it: the holder renews the lease; another replica takes it over once the
/// lease record has not changed for the lease duration (timed by its own clock, so clocks need
/// not agree); a holder that shuts down releases it so that a successor takes over at once.
public struct LeaderElector: Sendable {
    public struct Timing: Sendable {
        public var leaseDuration: Duration
        public var renewDeadline: Duration
        public var retryPeriod: Duration

        public init(leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2)) {
            self.leaseDuration = leaseDuration
            self.renewDeadline = renewDeadline
            self.retryPeriod = retryPeriod
        }
    }

    public var client: KubeClient
    public var namespace: String
    public var name: String
    public var identity: String
    public var timing: Timing
    public var logger: Logger

    public init(client: KubeClient, namespace: String, name: String = "tandem-controller", identity: String,
                timing: Timing = Timing(), logger: Logger) {
        self.client = client
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.timing = timing
        self.logger = logger
    }

    var reference: ObjectReference { ObjectReference(gvk: .lease, namespace: namespace, name: name) }

    /// Waits until this replica holds the lease; throws CancellationError when cancelled first.
    public func acquire() async throws {
        var observed: (record: String, at: ContinuousClock.Instant)?
        while true {
            try Task.checkCancellation()
            do {
                if try await tryAcquireOrRenew(observed: &observed) {
                    logger.info("became the leader", metadata: ["lease": "\(namespace)/\(name)", "identity": "\(identity)"])
                    return
                }
            } catch let error as KubeError {
                logger.warning("cannot take the lease yet", metadata: ["error": "\(error)"])
            }
            try await Task.sleep(for: timing.retryPeriod)
        }
    }

    /// Renews the lease until cancelled (returns) or until it cannot be renewed within the
    /// renew deadline (throws: leadership is lost).
    public func holdLease() async throws {
        var lastRenewal = ContinuousClock.now
        var observed: (record: String, at: ContinuousClock.Instant)?
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: timing.retryPeriod)
            } catch {
                return
            }
            do {
                if try await tryAcquireOrRenew(observed: &observed) {
                    lastRenewal = .now
                    continue
                }
                throw LeaseLost(reason: "another replica holds the lease")
            } catch let error as KubeError {
                if ContinuousClock.now - lastRenewal > timing.renewDeadline {
                    throw LeaseLost(reason: "the lease could not be renewed: \(error)")
                }
            }
        }
    }

    public struct LeaseLost: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "leadership lost: \(reason)" }
    }

    /// One attempt: create the lease, renew it, or take it over when expired. True when held.
    func tryAcquireOrRenew(observed: inout (record: String, at: ContinuousClock.Instant)?) async throws -> Bool {
        let resource = try await client.resource(for: GroupVersionKind.lease)
        let now = Self.microTime(Date())
        guard let lease = try await client.get(reference) else {
            var object = KubeObject(.lease, name: name, namespace: namespace)
            object.json["spec"] = ["holderIdentity": .string(identity), "leaseDurationSeconds": .int(Int(timing.leaseDuration.seconds)),
                                   "acquireTime": .string(now), "renewTime": .string(now), "leaseTransitions": 0]
            do {
                try await client.send(KubeRequests.create(resource, object))
                return true
            } catch let error as KubeError where error.isConflict {
                return false  // created by another replica a moment ago
            }
        }
        let spec = lease.json["spec"] ?? .object(JSONObject())
        let holder = spec["holderIdentity"]?.string ?? ""
        let record = JSONWriter.compact(spec)
        if observed?.record != record { observed = (record, .now) }
        let duration = Duration.seconds(spec["leaseDurationSeconds"]?.int ?? Int(timing.leaseDuration.seconds))
        let expired = holder.isEmpty || (observed.map { ContinuousClock.now - $0.at > duration } ?? false)
        guard holder == identity || expired else { return false }

        var updated = lease
        updated.json[path: ["spec", "holderIdentity"]] = .string(identity)
        updated.json[path: ["spec", "leaseDurationSeconds"]] = .int(Int(timing.leaseDuration.seconds))
        updated.json[path: ["spec", "renewTime"]] = .string(now)
        if holder != identity {
            updated.json[path: ["spec", "acquireTime"]] = .string(now)
            updated.json[path: ["spec", "leaseTransitions"]] = .int((spec["leaseTransitions"]?.int ?? 0) + 1)
        }
        do {
            // A replace with the resourceVersion read: if another replica wrote first, it wins.
            let answer = try await client.send(KubeRequests.replace(resource, updated))
            observed = (JSONWriter.compact(answer["spec"] ?? .null), .now)
            return true
        } catch let error as KubeError where error.isConflict {
            return false
        }
    }

    /// Gives the lease up, so that a successor need not wait for it to expire.
    public func release() async {
        guard let lease = try? await client.get(reference), lease.json[path: ["spec", "holderIdentity"]]?.string == identity,
              let resource = try? await client.resource(for: GroupVersionKind.lease) else { return }
        var released = lease
        released.json[path: ["spec", "holderIdentity"]] = .string("")
        released.json[path: ["spec", "leaseDurationSeconds"]] = 1
        released.json[path: ["spec", "renewTime"]] = .string(Self.microTime(Date()))
        _ = try? await client.send(KubeRequests.replace(resource, released))
        logger.info("released the lease", metadata: ["lease": "\(namespace)/\(name)"])
    }

    /// `2026-11-26T10:00:00.000000Z`: the API's MicroTime.
    static func microTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'"
        return formatter.string(from: date)
    }
}
