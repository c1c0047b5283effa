import Hummingbird
import Logging
import NIOCore
import RegistryCore
import ServiceLifecycle

/// Runs the registry's HTTP server until SIGTERM or SIGINT, then finishes in-flight requests and stops.
public struct RegistryServer: Sendable {
    public var host: String
    public var port: Int
    public var registry: Registry
    public var settings: HTTPSettings
    public var auth: Authenticator
    public var metrics: ServerMetrics
    public var logger: Logger

    public init(
        host: String, port: Int, registry: Registry, settings: HTTPSettings, auth: Authenticator,
        metrics: ServerMetrics, logger: Logger
    ) {
        self.host = host
        self.port = port
        self.registry = registry
        self.settings = settings
        self.auth = auth
        self.metrics = metrics
        self.logger = logger
    }

    /// Serves until a shutdown signal; `onListening` receives the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let handler = RegistryHTTPHandler(registry: registry, settings: settings, auth: auth, metrics: metrics)
        var app = Application(
            responder: handler,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "accord"),
            onServerRunning: { channel in
                onListening(channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
        app.addServices(ChangeFollower(registry: registry))
        try await app.runService()
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
