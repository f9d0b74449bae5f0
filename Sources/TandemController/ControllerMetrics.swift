import CoreMetrics
import Foundation
import KubeClient
import Prometheus

/// The controller's metrics, in Prometheus' text format on `/metrics`: reconciles by result,
/// their duration, the queue's depth, Applications by phase, and API requests by verb and code.
/// Each controller has its own registry, so that several can live in one process (tests).
public final class ControllerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["tandem_reconcile_duration_seconds"] = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.factory = factory
    }

    func reconciled(result: String, duration: Duration) {
        Counter(label: "tandem_reconciles_total", dimensions: [("result", result)], factory: factory).increment()
        Timer(label: "tandem_reconcile_duration_seconds", factory: factory).recordNanoseconds(
            Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    func queueDepth(_ depth: Int) {
        Gauge(label: "tandem_queue_depth", factory: factory).record(depth)
    }

    func applications(byPhase counts: [String: Int]) {
        for phase in ["rendering", "running", "unhealthy", "deleting", "failed", "starting"] {
            Gauge(label: "tandem_applications", dimensions: [("status", phase)], factory: factory).record(counts[phase] ?? 0)
        }
    }

    /// For `KubeClient`'s observer: every request by verb and answer code.
    @Sendable public func request(_ request: KubeRequest, _ status: Int, _ time: Duration) {
        let verb = request.isWatch ? "WATCH" : request.method.rawValue
        Counter(label: "tandem_api_requests_total", dimensions: [("verb", verb), ("code", status == 0 ? "none" : String(status))],
                factory: factory).increment()
    }

    /// The text `/metrics` serves.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
