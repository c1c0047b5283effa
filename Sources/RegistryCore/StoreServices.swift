import Logging
import ServiceLifecycle

extension RegistryStore {
    /// No background work: a store that needs none (in memory, SQLite) answers from the caller's task.
    public var backgroundServices: [any Service] { [] }
}

/// Runs `store`'s background services for the length of `body`, then shuts them down gracefully (in reverse
/// order, as a service group does) and waits until they have stopped. This is how everything but
/// `accord serve` (which runs them in its own service group) uses a store: the services are the store's
/// connections, so its operations need them running.
///
/// Throws what `body` throws; when `body` succeeds, the first error a service threw. A service that fails
/// stops the others, and the store's operations then fail rather than wait.
@discardableResult
public func withRunning<T>(
    _ store: any RegistryStore,
    logger: Logger = Logger(label: "accord.store", factory: { _ in SwiftLogNoOpLogHandler() }),
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T
) async throws -> T {
    let services = store.backgroundServices
    guard !services.isEmpty else { return try await body() }
    let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger))
    return try await withThrowingTaskGroup(of: Void.self, returning: T.self, isolation: isolation) { tasks in
        tasks.addTask { try await group.run() }
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await body())
        } catch {
            outcome = .failure(error)
        }
        // Requested before `run` has started, the shutdown still starts every service and then stops it.
        await group.triggerGracefulShutdown()
        let stopped: Result<Void, any Error>
        do {
            try await tasks.waitForAll()
            stopped = .success(())
        } catch {
            stopped = .failure(error)
        }
        let value = try outcome.get()
        try stopped.get()
        return value
    }
}
