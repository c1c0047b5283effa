import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import RegistryCore
import ServiceLifecycle

/// Runs the registry's HTTP server until SIGTERM or SIGINT, then finishes in-flight requests and stops.
///
/// The server runs in one service group with the store's background services (`RegistryStore.backgroundServices`:
/// its connection pool, change listener, cache follower) and the registry's change follower: they start
/// before it serves and stop after it has finished its last request.
public struct RegistryServer: Sendable {
    public var host: String
    public var port: Int
    public var registry: Registry
    public var settings: HTTPSettings
    public var auth: Authenticator
    public var metrics: ServerMetrics
    public var logger: Logger
    /// What must run while the server does; the registry's store's services by default.
    public var backgroundServices: [any Service]
    /// Runs once the background services have started and before the server accepts connections (a store's
    /// start-up check); an error it throws stops everything and is what `run` throws.
    public var beforeServing: @Sendable () async throws -> Void

    public init(
        host: String, port: Int, registry: Registry, settings: HTTPSettings, auth: Authenticator,
        metrics: ServerMetrics, logger: Logger, backgroundServices: [any Service]? = nil,
        beforeServing: @escaping @Sendable () async throws -> Void = {}
    ) {
        self.host = host
        self.port = port
        self.registry = registry
        self.settings = settings
        self.auth = auth
        self.metrics = metrics
        self.logger = logger
        self.backgroundServices = backgroundServices ?? registry.store.backgroundServices
        self.beforeServing = beforeServing
    }

    /// Serves until a shutdown signal; `onListening` receives the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        try await application(onListening: onListening).runService()
    }

    /// The server and everything that runs with it, as one service (for a service group of the caller's, which
    /// then decides when it shuts down): on graceful shutdown it stops accepting connections, finishes the
    /// requests in flight, then stops the background services in reverse order.
    public func application(onListening: @escaping @Sendable (Int) -> Void = { _ in }) -> some ApplicationProtocol {
        let handler = RegistryHTTPHandler(registry: registry, settings: settings, auth: auth, metrics: metrics)
        let http1 = HTTP1Channel.Configuration(idleTimeout: TimeAmount(settings.idleTimeout))
        let requestTimeout = TimeAmount(settings.requestTimeout)
        let connections = ConnectionTable()
        var app = Application(
            responder: handler,
            server: HTTPServerBuilder { responder in
                DeadlineHTTP1Channel(
                    base: HTTP1Channel(responder: responder, configuration: http1), requestTimeout: requestTimeout,
                    connections: connections)
            },
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), serverName: "accord",
                // At the cap, idle connections make room for new ones rather than keep them in the backlog.
                availableConnectionsDelegate: IdleYieldingConnections(settings.maxConnections, table: connections)),
            onServerRunning: { channel in
                onListening(channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
        app.addServices(backgroundServices + [ChangeFollower(registry: registry)])
        app.beforeServerStarts(perform: beforeServing)
        return app
    }
}

/// Keeps the registry's caches in step with other nodes' writes for as long as the server runs.
struct ChangeFollower: Service {
    let registry: Registry

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await registry.followExternalChanges()
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow
            ? Int64.max : seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
