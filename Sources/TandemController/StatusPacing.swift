import Synchronization

/// When the controller last wrote each Application's status, so that an application still
/// rolling out is rewritten at most once per interval: its pods and workload change a dozen
/// times on the way, and a write each would cost the API server more than the rollout itself.
/// Reaching `running`, a failure, and the first status are written at once.
final class StatusPacing: Sendable {
    let interval: Duration
    private let writtenAt = Mutex<[ApplicationKey: ContinuousClock.Instant]>([:])

    init(interval: Duration) {
        self.interval = interval
    }

    /// How long to wait before writing a rollout's progress, or nil to write it now.
    func delay(_ key: ApplicationKey, previousPhase: String?, newPhase: ApplicationStatus.Phase, failing: Bool) -> Duration? {
        guard newPhase == .unhealthy, previousPhase == ApplicationStatus.Phase.unhealthy.rawValue, !failing,
              let last = writtenAt.withLock({ $0[key] }) else { return nil }
        let due = last + interval
        let now = ContinuousClock.now
        return due > now ? due - now : nil
    }

    func wrote(_ key: ApplicationKey) {
        writtenAt.withLock { $0[key] = ContinuousClock.now }
    }

    func forget(_ key: ApplicationKey) {
        _ = writtenAt.withLock { $0.removeValue(forKey: key) }
    }
}
