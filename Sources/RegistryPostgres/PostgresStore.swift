import Foundation
import Logging
import PostgresNIO
import RegistryCore
import ServiceLifecycle

/// The registry's shared store: PostgreSQL over postgres-nio. Several `accord serve` nodes may use one
/// database and all take writes.
///
/// Every write runs in a transaction that first takes one transaction-scoped advisory lock
/// (`pg_advisory_xact_lock`), so writes from all nodes are serialized: a registration reads the subject's
/// versions and the same-content schema, lets the core decide, and allocates its id and version against exactly
/// that state (READ COMMITTED: every statement after the lock sees everything committed before it). The few
/// failures a race could still cause (serialization failure, deadlock, unique violation) are retried a bounded
/// number of times, so a client never sees them. Within one node writes also queue in process, so a node
/// never holds more than one pooled connection waiting for the lock and `decide` can always read.
///
/// Each write sends a NOTIFY on `accord_changes` in its transaction; every store LISTENs on that channel and
/// yields, from `externalChanges()`, the changes other nodes made (payloads carry the writer's `nodeID`).
///
/// The connection pool and the change listener are the store's `backgroundServices`: nothing connects until
/// they run (in `accord serve`'s service group, or `withRunning(store) { ... }`); operations made before then
/// wait for the pool. They run once: when they stop, the store is closed for good (operations fail, every
/// `externalChanges()` stream ends).
public final class PostgresStore: RegistryStore {
    /// This handle's id in change notifications; notifications carrying it are its own and not yielded.
    public let nodeID: String
    /// Where the store connects (its description leaves the password out).
    public let url: PostgresURL
    private let client: PostgresClient
    let logger: Logger
    private let feed: ChangeFeed
    private let poolRuns = RunOnce()
    private let listenerRuns = RunOnce()
    private let migrations = MigrationGate()
    private let writes = WriteQueue()

    static let channel = "accord_changes"
    /// `pg_advisory_xact_lock` key every write takes ("Accord" in ASCII).
    static let writeLockKey = 0x4163_636F_7264
    static let maxAttempts = 8

    /// Parses `url` (see `PostgresURL`); connects only once `backgroundServices` run. The first operation
    /// brings Accord's tables up to date; `migrate()` does so explicitly (do so at start-up to fail fast).
    public convenience init(url: String, logger: Logger? = nil) throws {
        try self.init(url: PostgresURL(url), logger: logger)
    }

    /// A store on an already parsed URL; see `init(url:logger:)`.
    public init(url: PostgresURL, logger: Logger? = nil) {
        let logger = logger ?? Logger(label: "accord.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
        let nodeID = UUID().uuidString.lowercased()
        let feed = ChangeFeed(nodeID: nodeID)
        self.url = url
        self.nodeID = nodeID
        self.client = client
        self.logger = logger
        self.feed = feed
    }

    /// The connection pool, then the change listener (so a graceful shutdown stops listening first).
    public var backgroundServices: [any Service] {
        [
            ConnectionPoolService(client: client, runs: poolRuns),
            ChangeListenerService(client: client, feed: feed, runs: listenerRuns),
        ]
    }

    /// Brings Accord's tables up to date (at most once per handle; nodes starting together wait for each other).
    public func migrate() async throws {
        try await migrations.ensure { [client, logger] in try await PostgresMigrations.run(client, logger: logger) }
    }

    /// The migration versions applied to this database, ascending.
    public func appliedMigrations() async throws -> [Int] {
        try await read { connection in
            try await Self.ints(connection, "SELECT version FROM accord_schema_migrations ORDER BY version", logger)
        }
    }

    /// Returns once this handle is listening for other nodes' changes (a write committed after that is heard),
    /// or its listener has stopped for good.
    public func listening() async {
        await feed.waitUntilListening()
    }

    // MARK: Reads

    public func schema(id: Int, context: String) async throws -> StoredSchema? {
        try await read { connection in try await Self.schema(connection, id: id, context: context, logger) }
    }

    public func schema(guid: String, context: String) async throws -> StoredSchema? {
        try await read { connection in try await Self.schema(connection, guid: guid, context: context, logger) }
    }

    public func maxSchemaID(context: String) async throws -> Int {
        try await read { connection in try await Self.counter(connection, context: context, logger) }
    }

    public func namedContexts() async throws -> [String] {
        try await read { connection in
            var names: [String] = []
            let rows = try await connection.query(
                "SELECT substr(name, 11) FROM accord_counters WHERE starts_with(name, 'schema_id:') ORDER BY name",
                logger: logger)
            for try await name in rows.decode(String.self) { names.append(name) }
            return names
        }
    }

    public func deleteContext(_ context: String) async throws -> Bool {
        try await write { connection in
            let used = try await Self.ints(
                connection,
                "SELECT count(*) FROM (SELECT 1 FROM accord_subject_versions WHERE context = \(context) LIMIT 1) AS r",
                logger)
            guard used.first == 0 else { return false }
            try await connection.query(
                "DELETE FROM accord_counters WHERE name = \(Self.counterName(context))", logger: logger)
            return true
        }
    }

    public func subjectNames() async throws -> [String] {
        try await read { connection in
            var names: [String] = []
            let rows = try await connection.query(
                "SELECT DISTINCT subject FROM accord_subject_versions ORDER BY subject", logger: logger)
            for try await name in rows.decode(String.self) { names.append(name) }
            return names
        }
    }

    public func versions(subject: String) async throws -> [SubjectVersion] {
        try await read { connection in try await Self.versions(connection, subject: subject, logger) }
    }

    public func versions(schemaID: Int, context: String) async throws -> [SubjectVersion] {
        try await read { connection in
            try await Self.versionRows(
                connection,
                """
                SELECT subject, version, schema_id, deleted FROM accord_subject_versions
                WHERE context = \(context) AND schema_id = \(schemaID) ORDER BY subject, version
                """, logger)
        }
    }

    public func allVersions() async throws -> [SubjectVersion] {
        try await read { connection in
            try await Self.versionRows(
                connection,
                "SELECT subject, version, schema_id, deleted FROM accord_subject_versions ORDER BY subject, version",
                logger)
        }
    }

    /// A reference names `subject` either as written (`:.ctx:name`, or a default-context name from a schema of
    /// the default context) or by its bare name from a schema of its own context.
    public func referrers(subject: String, version: Int) async throws -> [ContextualID] {
        let (context, name) = RegistryContext.split(subject)
        return try await read { connection in
            var found: [ContextualID] = []
            let rows = try await connection.query(
                """
                SELECT DISTINCT context, schema_id FROM accord_schema_references
                WHERE version = \(version) AND ((subject = \(subject) AND (context = '.' OR starts_with(subject, ':.')))
                    OR (subject = \(name) AND context = \(context)))
                ORDER BY context, schema_id
                """, logger: logger)
            for try await (context, id) in rows.decode((String, Int).self) {
                found.append(ContextualID(context: context, id: id))
            }
            return found
        }
    }

    // MARK: Configs and modes

    public func config(subject: String?) async throws -> SubjectConfig? {
        let text = try await read { connection in
            try await Self.string(connection, "SELECT config FROM accord_configs WHERE scope = \(Self.scope(subject))", logger)
        }
        return text.flatMap(SubjectConfig.init(storageText:))
    }

    public func setConfig(_ config: SubjectConfig?, subject: String?) async throws {
        let scope = Self.scope(subject)
        try await write { connection in
            if let config {
                try await connection.query(
                    """
                    INSERT INTO accord_configs (scope, config) VALUES (\(scope), \(config.storageText))
                    ON CONFLICT (scope) DO UPDATE SET config = excluded.config
                    """, logger: logger)
            } else {
                try await connection.query("DELETE FROM accord_configs WHERE scope = \(scope)", logger: logger)
            }
            try await notify(connection, subject.map(StoreChange.subjectChanged) ?? .globalChanged)
        }
    }

    public func mode(subject: String?) async throws -> RegistryMode? {
        let text = try await read { connection in
            try await Self.string(connection, "SELECT mode FROM accord_modes WHERE scope = \(Self.scope(subject))", logger)
        }
        return text.flatMap(RegistryMode.init(rawValue:))
    }

    public func setMode(_ mode: RegistryMode?, subject: String?) async throws {
        let scope = Self.scope(subject)
        try await write { connection in
            if let mode {
                try await connection.query(
                    """
                    INSERT INTO accord_modes (scope, mode) VALUES (\(scope), \(mode.rawValue))
                    ON CONFLICT (scope) DO UPDATE SET mode = excluded.mode
                    """, logger: logger)
            } else {
                try await connection.query("DELETE FROM accord_modes WHERE scope = \(scope)", logger: logger)
            }
            try await notify(connection, subject.map(StoreChange.subjectChanged) ?? .globalChanged)
        }
    }

    // MARK: Writes

    public func register(
        subject: String,
        content: SchemaContent,
        guid: String,
        decide: @escaping @Sendable (RegistrationState) async throws -> RegistrationDecision
    ) async throws -> SubjectVersion {
        try await write { connection in
            // Under the write lock: the state cannot move between the decision and the write.
            let context = RegistryContext.context(of: subject)
            let state = RegistrationState(
                versions: try await Self.versions(connection, subject: subject, logger),
                sameContent: try await Self.schema(connection, guid: guid, context: context, logger),
                highestSchemaID: try await Self.counter(connection, context: context, logger))
            switch try await decide(state) {
            case .existing(let version):
                return version
            case .create(let id, let version):
                let row = try await insert(connection, subject: subject, content: content, guid: guid, id: id, version: version)
                try await notify(connection, .subjectChanged(subject))
                return row
            }
        }
    }

    public func softDelete(subject: String, versions: [Int]) async throws {
        guard !versions.isEmpty else { return }
        try await write { connection in
            try await connection.query(
                """
                UPDATE accord_subject_versions SET deleted = TRUE
                WHERE subject = \(subject) AND version = ANY(\(versions))
                """, logger: logger)
            try await notify(connection, .subjectChanged(subject))
        }
    }

    public func permanentlyDelete(subject: String, versions: [Int]) async throws {
        try await write { connection in
            let touched = try await Self.ints(
                connection,
                """
                DELETE FROM accord_subject_versions WHERE subject = \(subject) AND version = ANY(\(versions))
                RETURNING schema_id
                """, logger)
            let context = RegistryContext.context(of: subject)
            var removed: [ContextualID] = []
            for id in Set(touched).sorted() {
                // References go with the schema row (ON DELETE CASCADE).
                removed += try await Self.ints(
                    connection,
                    """
                    DELETE FROM accord_schemas WHERE context = \(context) AND id = \(id)
                    AND NOT EXISTS (SELECT 1 FROM accord_subject_versions WHERE context = \(context) AND schema_id = \(id))
                    RETURNING id
                    """, logger
                ).map { ContextualID(context: context, id: $0) }
            }
            let remaining = try await Self.ints(
                connection, "SELECT count(*) FROM (SELECT 1 FROM accord_subject_versions WHERE subject = \(subject) LIMIT 1) AS r",
                logger)
            if remaining.first == 0 {
                let scope = Self.scope(subject)
                try await connection.query("DELETE FROM accord_configs WHERE scope = \(scope)", logger: logger)
                try await connection.query("DELETE FROM accord_modes WHERE scope = \(scope)", logger: logger)
            }
            try await notify(connection, .subjectChanged(subject))
            if !removed.isEmpty { try await notify(connection, .schemasDeleted(removed)) }
        }
    }

    public func document(named name: String) async throws -> StoredDocument? {
        try await read { connection in
            var found: StoredDocument?
            let rows = try await connection.query(
                "SELECT revision, body FROM accord_documents WHERE name = \(name)", logger: logger)
            for try await (revision, body) in rows.decode((Int, String).self) {
                found = StoredDocument(text: body, revision: revision)
            }
            return found
        }
    }

    /// Under the store's write lock, so the revision read and the write are one step for every node.
    public func replaceDocument(named name: String, text: String, expecting revision: Int) async throws -> Int? {
        try await write { connection in
            let stored = try await Self.ints(connection, "SELECT revision FROM accord_documents WHERE name = \(name)", logger).first
            guard (stored ?? 0) == revision else { return nil }
            try await connection.query(
                """
                INSERT INTO accord_documents (name, revision, body) VALUES (\(name), \(revision + 1), \(text))
                ON CONFLICT (name) DO UPDATE SET revision = excluded.revision, body = excluded.body
                """, logger: logger)
            return revision + 1
        }
    }

    /// Throws when the database cannot be reached, or Accord's tables brought up to date, within 5 seconds.
    public func ping() async throws {
        let outcome = PingOutcome()
        let attempt = Task {
            do {
                _ = try await self.read { connection in try await Self.ints(connection, "SELECT 1", self.logger) }
                outcome.resolve(nil)
            } catch {
                outcome.resolve(error)
            }
        }
        let timer = Task {
            try? await Task.sleep(for: .seconds(5))
            outcome.resolve(RegistryError.storeError())
        }
        // Neither task is awaited: a pool that is still trying to connect does not hold up the answer.
        defer {
            attempt.cancel()
            timer.cancel()
        }
        if let error = await outcome.value() { throw error }
    }

    /// The changes other nodes (other `PostgresStore` handles on the database) commit from now on. When the
    /// listening connection comes back after a loss, `.resynchronize` says notifications may have been missed.
    public func externalChanges() -> AsyncStream<StoreChange> {
        feed.subscribe()
    }

    // MARK: Transactions

    private func read<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await migrate()
        return try await client.withConnection { connection in try await body(connection) }
    }

    /// Runs `body` in a transaction holding the write lock, retrying (bounded) what a race can cause.
    private func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await migrate()
        return try await writes.run {
            var attempt = 0
            while true {
                attempt += 1
                do {
                    return try await client.withTransaction(logger: logger) { connection in
                        try await connection.query("SELECT pg_advisory_xact_lock(\(Self.writeLockKey))", logger: logger)
                        return try await body(connection)
                    }
                } catch let error as PostgresTransactionError {
                    let cause = error.closureError ?? error.commitError ?? error.beginError ?? error
                    guard attempt < Self.maxAttempts, Self.isTransient(cause) else { throw cause }
                    try await Task.sleep(for: .milliseconds(Int.random(in: 2...20) * attempt))
                }
            }
        }
    }

    /// Serialization failure, deadlock, unique violation: what a concurrent transaction can cause.
    static func isTransient(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        return ["40001", "40P01", "23505"].contains(state)
    }

    private func notify(_ connection: PostgresConnection, _ change: StoreChange) async throws {
        for payload in ChangeFeed.payloads(change, nodeID: nodeID) {
            try await connection.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: logger)
        }
    }

    static func listen(client: PostgresClient, feed: ChangeFeed) async {
        var listenedBefore = false
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        feed.setListening(true)
                        // Whatever was sent while we were not listening is lost: caches start over.
                        if listenedBefore { feed.publish(.resynchronize) }
                        listenedBefore = true
                        for try await notification in notifications {
                            feed.deliver(notification.payload)
                        }
                    }
                }
            } catch {
                // Connection lost or refused: listen again shortly.
            }
            feed.setListening(false)
            try? await Task.sleep(for: .milliseconds(500))
        }
    }
}
