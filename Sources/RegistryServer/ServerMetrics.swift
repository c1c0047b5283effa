import SchemaProviders
import CoreMetrics
import Prometheus
import RegistryCore
import Synchronization

/// The server's metrics, through swift-metrics into a Prometheus registry of its own (no global bootstrap, so
/// several servers in one process keep separate counts): requests by route, method and status, request
/// latency, registrations, compatibility verdicts, parsed-schema cache hits and store latency.
public final class ServerMetrics: RegistryObserver, Sendable {
    let prometheus: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    public init() {
        prometheus = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: prometheus)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
    }

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    /// The request metrics' handles, made once per route, method and status.
    private let requestHandles = Mutex<[RequestKey: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])

    func request(route: String, method: String, status: Int, duration: Duration) {
        let key = RequestKey(route: route, method: method, status: status)
        let handles = requestHandles.withLock { handles in
            if let known = handles[key] { return known }
            let made: (CoreMetrics.Counter, CoreMetrics.Timer) = (
                Counter(
                    label: "accord_http_requests_total",
                    dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory),
                Timer(label: "accord_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            )
            if handles.count < 4096 { handles[key] = made }
            return made
        }
        handles.0.increment()
        handles.1.recordNanoseconds(Self.nanoseconds(duration))
    }

    public func parsedCache(hit: Bool) {
        Counter(label: "accord_parsed_schema_cache_total", dimensions: [("result", hit ? "hit" : "miss")], factory: factory)
            .increment()
    }

    public func registered(schemaType: SchemaType, created: Bool) {
        Counter(
            label: "accord_registrations_total",
            dimensions: [("schema_type", schemaType.rawValue), ("outcome", created ? "created" : "existing")],
            factory: factory
        ).increment()
    }

    public func compatibilityChecked(compatible: Bool) {
        Counter(
            label: "accord_compatibility_checks_total",
            dimensions: [("verdict", compatible ? "compatible" : "incompatible")], factory: factory
        ).increment()
    }

    public func storeCall(_ operation: String, duration: Duration) {
        Timer(label: "accord_store_duration_seconds", dimensions: [("operation", operation)], factory: factory)
            .recordNanoseconds(Self.nanoseconds(duration))
    }

    /// The Prometheus text exposition.
    public func exposition() -> String {
        prometheus.emitToString()
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }
}
