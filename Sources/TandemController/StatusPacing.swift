import Synchronization

/// When the controller last wrote each Application's status, so that an application still
/// rolling out is rewritten at most once per interval: its pods and workload change a dozen
/// times on the way, and a write each would cost the API server more than the rollout itself.
/// Reaching `running`, a failure, and the first status are written at once.
final class StatusPacing: Sendable {
    let interval: Duration
    /// The clock, injected by tests so that they need not race the real one.
    private let now: @Sendable () -> ContinuousClock.Instant
    private let writtenAt = Mutex<[ApplicationKey: ContinuousClock.Instant]>([:])

    init(interval: Duration, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.interval = interval
        self.now = now
    }

    /// How long to wait before writing a rollout's progress, or nil to write it now.
    func delay(_ key: ApplicationKey, previousPhase: String?, newPhase: ApplicationStatus.Phase, failing: Bool) -> Duration? {
        guard newPhase == .unhealthy, previousPhase == ApplicationStatus.Phase.unhealthy.rawValue, !failing,
              let last = writtenAt.withLock({ $0[key] }) else { return nil }
        let due = last + interval
        let now = self.now()
        return due > now ? due - now : nil
    }

    func wrote(_ key: ApplicationKey) {
        let now = self.now()
        writtenAt.withLock { $0[key] = now }
    }

    func forget(_ key: ApplicationKey) {
        _ = writtenAt.withLock { $0.removeValue(forKey: key) }
    }
}
