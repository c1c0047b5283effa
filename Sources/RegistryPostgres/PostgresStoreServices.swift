import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Runs a store's `PostgresClient` pool until graceful shutdown or cancellation; then the pool closes its
/// connections and fails every operation still waiting or made later.
struct ConnectionPoolService: Service {
    let client: PostgresClient
    let runs: RunOnce

    func run() async throws {
        try runs.claim("connection pool")
        // PostgresClient.run stops on graceful shutdown by itself.
        await client.run()
    }
}

/// LISTENs on the store's change channel, through one pooled connection taken again after a loss, and feeds
/// what it hears to `externalChanges()`. When it stops (graceful shutdown or cancellation) the LISTEN
/// connection goes back to the pool and every change stream ends.
struct ChangeListenerService: Service {
    let client: PostgresClient
    let feed: ChangeFeed
    let runs: RunOnce

    func run() async throws {
        try runs.claim("change listener")
        await cancelWhenGracefulShutdown {
            await PostgresStore.listen(client: client, feed: feed)
        }
        feed.finish()
    }
}

/// A service of a store that may run only once (postgres-nio's pool cannot be started again).
final class RunOnce: Sendable {
    private let started = Atomic(false)

    func claim(_ service: String) throws {
        guard !started.exchange(true, ordering: .relaxed) else { throw AlreadyRunning(service: service) }
    }

    struct AlreadyRunning: Error, CustomStringConvertible {
        var service: String
        var description: String { "the PostgreSQL store's \(service) has already run: open another store" }
    }
}
