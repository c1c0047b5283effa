import Foundation
import Logging
import PostgresNIO
import RegistryCore
import RegistryPostgres
import RegistryServer
import ServiceLifecycle
import Testing

@testable import AccordCLI

/// `accord serve`'s service group (issue 12): the store's background work (connection pool, change listener,
/// cache follower) starts and stops with the server, not with the store's initializer.
@Suite struct ServeLifecycleTests {
    static let quiet = Logger(label: "accord-serve-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func gracefulShutdownOfServeStopsTheStoresServicesWithTheServer() async throws {
        try await TestDatabase.with { database in
            var settings = ServeCommand.Settings()
            settings.listen = "127.0.0.1:0"
            settings.storage = database.url
            let server = try ServeCommand.makeServer(settings, logger: Self.quiet)
            let (ports, port) = AsyncStream.makeStream(of: Int.self)
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [server.application { port.yield($0) }], logger: Self.quiet))
            let shutdown = try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                // Listening means the store answered its start-up check (its tables are made) through the pool.
                var listening = ports.makeAsyncIterator()
                #expect(await listening.next() ?? 0 > 0)
                try await server.registry.store.setMode(.readWrite, subject: nil)
                #expect(try await server.registry.store.mode(subject: nil) == .readWrite)
                #expect(try await database.connections() >= 1)
                let started = ContinuousClock.now
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return ContinuousClock.now - started
            }
            // Nothing held the group open (generous bound: a loaded test machine).
            #expect(shutdown < .seconds(30))
            // The pool is shut down: the store refuses at once instead of waiting for a pool no one runs.
            await #expect(throws: (any Error).self) { try await server.registry.store.mode(subject: nil) }
            // No connection of the server's is left on the database, the LISTEN one included (backends exit
            // shortly after their sockets close).
            #expect(try await database.settledConnections() == 0)
        }
    }

    @Test func aStoreThatFailsItsStartUpCheckStopsServeBeforeItListens() async throws {
        var settings = ServeCommand.Settings()
        settings.listen = "127.0.0.1:0"
        // A port nothing listens on: the check fails when the connection is refused, well within the timeout.
        settings.storage = "postgres://accord@127.0.0.1:1/none?sslmode=disable"
        settings.storeTimeout = 5
        let server = try ServeCommand.makeServer(settings, logger: Self.quiet)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [server.application { _ in Issue.record("serve listened without its store") }],
                logger: Self.quiet))
        let failure = await #expect(throws: CLIFailure.self) { try await group.run() }
        #expect(failure?.message.hasPrefix("cannot open storage postgres://accord@127.0.0.1:1/none") == true)
    }
}

/// A fresh database on the server ACCORD_TEST_POSTGRES_URL names (`make test` starts one), dropped afterwards.
struct TestDatabase {
    /// The server's own database, where the test's is created and watched from.
    let server: PostgresURL
    let name: String
    /// The test database's storage URL.
    let url: String

    static func with(_ body: (TestDatabase) async throws -> Void) async throws {
        let text = try #require(
            ProcessInfo.processInfo.environment["ACCORD_TEST_POSTGRES_URL"],
            "ACCORD_TEST_POSTGRES_URL is not set: run the tests with `make test`, which starts a private PostgreSQL")
        let name = "accord_cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // The URL with its path (the database) replaced, user, password and parameters kept.
        let authority = try #require(text.range(of: "://"), "not a URL: \(text)").upperBound
        let path = try #require(text[authority...].firstIndex(of: "/"), "no database in \(text)")
        let query = text[path...].firstIndex(of: "?").map { String(text[$0...]) } ?? ""
        let database = TestDatabase(server: try PostgresURL(text), name: name, url: text[..<path] + "/" + name + query)
        _ = try await database.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(database.name)"))
        do {
            try await body(database)
        } catch {
            _ = try? await database.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(database.name) WITH (FORCE)"))
            throw error
        }
        _ = try? await database.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(database.name) WITH (FORCE)"))
    }

    /// The connections open to this database now.
    func connections() async throws -> Int {
        try await query("SELECT count(*)::int FROM pg_stat_activity WHERE datname = \(name)")
    }

    /// The connections open to this database once the count stops falling (or 30 seconds have passed).
    func settledConnections() async throws -> Int {
        var count = try await connections()
        let deadline = ContinuousClock.now + .seconds(30)
        while count > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            count = try await connections()
        }
        return count
    }

    /// Runs one statement on the server's own database; the first integer it returns, or 0.
    private func query(_ query: PostgresQuery) async throws -> Int {
        let client = PostgresClient(configuration: server.clientConfiguration)
        return try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                await client.run()
                return 0
            }
            defer { group.cancelAll() }
            var first = 0
            for try await value in try await client.query(query).decode(Int.self) { first = value }
            return first
        }
    }
}
