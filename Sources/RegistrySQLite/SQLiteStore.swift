import SchemaProviders
import Foundation
import GRDB
import RegistryCore
import Synchronization

/// The registry's embedded store: one SQLite database file (GRDB over the system's libsqlite3).
///
/// The database runs in WAL mode with `synchronous=FULL`, so a registration the server has acknowledged is on
/// disk before the answer leaves, and survives a crash or power loss. Readers never wait for the writer.
///
/// One process owns the file: there are no other writers to hear about, so `externalChanges()` never yields.
/// Within the process several handles may share the file (a reopened store, tests); registrations stay correct
/// because each one re-checks, inside its write transaction, the state its decision was made on.
public final class SQLiteStore: RegistryStore {
    /// The database file.
    public let path: String
    private let pool: DatabasePool
    /// The point reads' own read-only connection, only ever used synchronously: a point read waits for it only
    /// while another point read runs (microseconds). Taking a reader of `pool` synchronously instead could wait
    /// for one that an async read holds across a suspension; with every cooperative thread waiting so, that
    /// read never resumes to give its reader back, and the whole server stops (seen under 96 concurrent
    /// registrations on two cores).
    private let pointReader: DatabaseQueue
    private let registrations = WriteQueue()

    /// Opens (creating when needed, with its parent directories) the database file at `path` and brings its
    /// tables up to date.
    public init(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        self.path = path
        pool = try DatabasePool(path: path, configuration: configuration)
        try pool.writeWithoutTransaction { db in
            // FULL: the WAL is synced at every commit, so an acknowledged write survives power loss. Set on the
            // pool's one writer connection (which lives as long as the pool) after GRDB's own WAL set-up, which
            // chooses NORMAL.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try SQLiteMigrations.run(db)
        }
        var readOnly = Configuration()
        readOnly.readonly = true
        readOnly.busyMode = .timeout(10)
        pointReader = try DatabaseQueue(path: path, configuration: readOnly)
    }

    /// Opens the store kept in `directory` (created when missing): the file `accord.sqlite` inside it.
    public convenience init(directory: String) throws {
        try self.init(path: (directory as NSString).appendingPathComponent("accord.sqlite"))
    }

    /// The migration versions applied to this database, ascending.
    public func appliedMigrations() async throws -> [Int] {
        try await pool.read { db in
            try Int.fetchAll(db, sql: "SELECT version FROM accord_schema_migrations ORDER BY version")
        }
    }

    /// A pragma's value on the writer connection (journal_mode, synchronous, busy_timeout), for tests.
    func pragma(_ name: String) async throws -> String? {
        try await pool.write { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
    }

    // MARK: Reads

    /// Point reads run on the calling thread: an indexed SQLite read of one row takes microseconds, much less
    /// than handing it to a GRDB reader queue and resuming afterwards (a registry lookup makes four of them).
    /// They are bounded: one row by primary key or unique index (WAL readers never wait for the writer), on
    /// their own connection, which no async read ever holds (see `pointReader`). Reads whose size a client
    /// controls (a subject's versions, an id's uses, a version's referrers, every row) go through GRDB's reader
    /// pool, off the cooperative threads.
    private func pointRead<T>(_ body: (Database) throws -> T) throws -> T {
        try pointReader.read(body)
    }

    public func schema(id: Int, context: String) async throws -> StoredSchema? {
        try pointRead { db in try Self.schema(db, id: id, context: context) }
    }

    public func schema(guid: String, context: String) async throws -> StoredSchema? {
        try pointRead { db in try Self.schema(db, guid: guid, context: context) }
    }

    public func maxSchemaID(context: String) async throws -> Int {
        try pointRead { db in try Self.counter(db, context: context) }
    }

    public func namedContexts() async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT substr(name, 11) FROM accord_counters WHERE name LIKE 'schema\\_id:%' ESCAPE '\\' ORDER BY name")
        }
    }

    public func deleteContext(_ context: String) async throws -> Bool {
        try await pool.write { db in
            let used = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM accord_subject_versions WHERE context = ?)", arguments: [context])
            guard used != true else { return false }
            try db.execute(sql: "DELETE FROM accord_counters WHERE name = ?", arguments: [Self.counterName(context)])
            return true
        }
    }

    public func subjectNames() async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT subject FROM accord_subject_versions ORDER BY subject")
        }
    }

    /// Off the calling thread: a subject may have many versions.
    public func versions(subject: String) async throws -> [SubjectVersion] {
        try await pool.read { db in try Self.versions(db, subject: subject) }
    }

    public func versions(schemaID: Int, context: String) async throws -> [SubjectVersion] {
        try await pool.read { db in
            try Self.versionRows(
                db,
                sql: """
                    SELECT subject, version, schema_id, deleted FROM accord_subject_versions
                    WHERE context = ? AND schema_id = ? ORDER BY subject, version
                    """,
                arguments: [context, schemaID])
        }
    }

    public func allVersions() async throws -> [SubjectVersion] {
        try await pool.read { db in
            try Self.versionRows(
                db,
                sql: "SELECT subject, version, schema_id, deleted FROM accord_subject_versions ORDER BY subject, version",
                arguments: [])
        }
    }

    /// A reference names `subject` either as written (`:.ctx:name`, or a default-context name from a schema of
    /// the default context) or by its bare name from a schema of its own context.
    public func referrers(subject: String, version: Int) async throws -> [ContextualID] {
        let (context, name) = RegistryContext.split(subject)
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT context, schema_id FROM accord_schema_references
                    WHERE version = ? AND ((subject = ? AND (context = '.' OR subject LIKE ':.%'))
                        OR (subject = ? AND context = ?))
                    ORDER BY context, schema_id
                    """,
                arguments: [version, subject, name, context]
            ).map { ContextualID(context: $0["context"], id: $0["schema_id"]) }
        }
    }

    // MARK: Configs and modes

    public func config(subject: String?) async throws -> SubjectConfig? {
        let text = try pointRead { db in
            try String.fetchOne(db, sql: "SELECT config FROM accord_configs WHERE scope = ?", arguments: [Self.scope(subject)])
        }
        return text.flatMap(SubjectConfig.init(storageText:))
    }

    public func setConfig(_ config: SubjectConfig?, subject: String?) async throws {
        try await pool.write { db in
            if let config {
                try db.execute(
                    sql: """
                        INSERT INTO accord_configs (scope, config) VALUES (?, ?)
                        ON CONFLICT (scope) DO UPDATE SET config = excluded.config
                        """,
                    arguments: [Self.scope(subject), config.storageText])
            } else {
                try db.execute(sql: "DELETE FROM accord_configs WHERE scope = ?", arguments: [Self.scope(subject)])
            }
        }
    }

    public func mode(subject: String?) async throws -> RegistryMode? {
        let text = try pointRead { db in
            try String.fetchOne(db, sql: "SELECT mode FROM accord_modes WHERE scope = ?", arguments: [Self.scope(subject)])
        }
        return text.flatMap(RegistryMode.init(rawValue:))
    }

    public func setMode(_ mode: RegistryMode?, subject: String?) async throws {
        try await pool.write { db in
            if let mode {
                try db.execute(
                    sql: """
                        INSERT INTO accord_modes (scope, mode) VALUES (?, ?)
                        ON CONFLICT (scope) DO UPDATE SET mode = excluded.mode
                        """,
                    arguments: [Self.scope(subject), mode.rawValue])
            } else {
                try db.execute(sql: "DELETE FROM accord_modes WHERE scope = ?", arguments: [Self.scope(subject)])
            }
        }
    }

    // MARK: Writes

    /// GRDB's write transactions are synchronous, so `decide` (async) runs between a read of the state and the
    /// write transaction; the write re-reads the same state, and the subject's and the global config and mode,
    /// and applies the decision only when nothing moved, else decides again (so a READONLY mode or a stricter
    /// level set meanwhile is honoured). Registrations through one store handle are serialized, so retries only happen when
    /// another handle on the same file wrote in between.
    public func register(
        subject: String,
        content: SchemaContent,
        guid: String,
        decide: @escaping @Sendable (RegistrationState) async throws -> RegistrationDecision
    ) async throws -> SubjectVersion {
        let context = RegistryContext.context(of: subject)
        return try await registrations.run {
            for _ in 0..<100 {
                let (state, settings) = try await pool.read { db in
                    (try Self.registrationState(db, subject: subject, guid: guid), try Self.settings(db, subject: subject))
                }
                let decision = try await decide(state)
                let written: SubjectVersion? = try await pool.write { db in
                    let now = try Self.registrationState(db, subject: subject, guid: guid)
                    guard state.permits(decision, now: now), try Self.settings(db, subject: subject) == settings
                    else { return nil }
                    switch decision {
                    case .existing(let version):
                        return version
                    case .create(let id, let version):
                        return try Self.insert(
                            db, subject: subject, context: context, content: content, guid: guid, id: id, version: version)
                    }
                }
                if let written { return written }
            }
            throw RegistryError.storeError()
        }
    }

    public func softDelete(subject: String, versions: [Int]) async throws {
        guard !versions.isEmpty else { return }
        try await pool.write { db in
            for version in versions {
                try db.execute(
                    sql: "UPDATE accord_subject_versions SET deleted = 1 WHERE subject = ? AND version = ?",
                    arguments: [subject, version])
            }
        }
    }

    public func permanentlyDelete(subject: String, versions: [Int]) async throws {
        try await pool.write { db in
            let context = RegistryContext.context(of: subject)
            var touched = Set<Int>()
            for version in versions {
                if let id = try Int.fetchOne(
                    db,
                    sql: "DELETE FROM accord_subject_versions WHERE subject = ? AND version = ? RETURNING schema_id",
                    arguments: [subject, version])
                {
                    touched.insert(id)
                }
            }
            for id in touched.sorted() {
                let used = try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM accord_subject_versions WHERE context = ? AND schema_id = ?)",
                    arguments: [context, id])
                if used != true {
                    // References go with the schema row (ON DELETE CASCADE).
                    try db.execute(
                        sql: "DELETE FROM accord_schemas WHERE context = ? AND id = ?", arguments: [context, id])
                }
            }
            let remains = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM accord_subject_versions WHERE subject = ?)", arguments: [subject])
            if remains != true {
                try db.execute(sql: "DELETE FROM accord_configs WHERE scope = ?", arguments: [Self.scope(subject)])
                try db.execute(sql: "DELETE FROM accord_modes WHERE scope = ?", arguments: [Self.scope(subject)])
            }
        }
    }

    public func document(named name: String) async throws -> StoredDocument? {
        try pointRead { db in
            try Row.fetchOne(db, sql: "SELECT revision, body FROM accord_documents WHERE name = ?", arguments: [name])
                .map { StoredDocument(text: $0["body"], revision: $0["revision"]) }
        }
    }

    public func replaceDocument(named name: String, text: String, expecting revision: Int) async throws -> Int? {
        try await pool.write { db in
            let stored = try Int.fetchOne(db, sql: "SELECT revision FROM accord_documents WHERE name = ?", arguments: [name])
            guard (stored ?? 0) == revision else { return nil }
            try db.execute(
                sql: """
                    INSERT INTO accord_documents (name, revision, body) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET revision = excluded.revision, body = excluded.body
                    """,
                arguments: [name, revision + 1, text])
            return revision + 1
        }
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// Never yields: one process owns the database file, so no other node writes to it.
    public func externalChanges() -> AsyncStream<StoreChange> {
        AsyncStream { _ in }
    }

    // MARK: SQL

    /// The key of a subject's config or mode row; the global one has its own key no subject can produce.
    static func scope(_ subject: String?) -> String {
        subject.map { "subject:" + $0 } ?? "global"
    }

    /// The config and mode rows a registration decision depends on (the subject's and the global ones).
    static func settings(_ db: Database, subject: String) throws -> [String?] {
        var values: [String?] = []
        for scope in [Self.scope(subject), Self.scope(nil)] {
            values.append(try String.fetchOne(db, sql: "SELECT config FROM accord_configs WHERE scope = ?", arguments: [scope]))
            values.append(try String.fetchOne(db, sql: "SELECT mode FROM accord_modes WHERE scope = ?", arguments: [scope]))
        }
        return values
    }

    /// The counter row of a context's ids: `schema_id` for the default context, `schema_id:.ctx` for another.
    static func counterName(_ context: String) -> String {
        context == RegistryContext.defaultName ? "schema_id" : "schema_id:" + context
    }

    static func counter(_ db: Database, context: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT value FROM accord_counters WHERE name = ?", arguments: [counterName(context)]) ?? 0
    }

    static func versions(_ db: Database, subject: String) throws -> [SubjectVersion] {
        try versionRows(
            db,
            sql: """
                SELECT subject, version, schema_id, deleted FROM accord_subject_versions
                WHERE subject = ? ORDER BY version
                """,
            arguments: [subject])
    }

    static func versionRows(_ db: Database, sql: String, arguments: StatementArguments) throws -> [SubjectVersion] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            SubjectVersion(subject: row["subject"], version: row["version"], schemaID: row["schema_id"], deleted: row["deleted"])
        }
    }

    static func schema(_ db: Database, id: Int, context: String) throws -> StoredSchema? {
        try schema(
            db, row: Row.fetchOne(db, sql: "SELECT * FROM accord_schemas WHERE context = ? AND id = ?", arguments: [context, id]))
    }

    static func schema(_ db: Database, guid: String, context: String) throws -> StoredSchema? {
        try schema(
            db,
            row: Row.fetchOne(db, sql: "SELECT * FROM accord_schemas WHERE context = ? AND guid = ?", arguments: [context, guid]))
    }

    private static func schema(_ db: Database, row: Row?) throws -> StoredSchema? {
        guard let row else { return nil }
        let id: Int = row["id"]
        let context: String = row["context"]
        let typeName: String = row["schema_type"]
        let type = SchemaType(rawValue: typeName)
        let references = try Row.fetchAll(
            db,
            sql: "SELECT name, subject, version FROM accord_schema_references WHERE context = ? AND schema_id = ? ORDER BY position",
            arguments: [context, id]
        ).map { SchemaReference(name: $0["name"], subject: $0["subject"], version: $0["version"]) }
        let content = SchemaContent(
            schemaType: type, schema: row["schema"], references: references, metadata: row["metadata"],
            ruleSet: row["rule_set"])
        return StoredSchema(id: id, guid: row["guid"], content: content, context: context)
    }

    static func registrationState(_ db: Database, subject: String, guid: String) throws -> RegistrationState {
        let context = RegistryContext.context(of: subject)
        return RegistrationState(
            versions: try versions(db, subject: subject), sameContent: try schema(db, guid: guid, context: context),
            highestSchemaID: try counter(db, context: context))
    }

    /// Writes the version the core decided (and the schema row when the content is new); nil when the id went to
    /// other content since the decision (the caller decides again).
    private static func insert(
        _ db: Database, subject: String, context: String, content: SchemaContent, guid: String, id: Int, version: Int
    ) throws -> SubjectVersion? {
        let holder = try String.fetchOne(
            db, sql: "SELECT guid FROM accord_schemas WHERE context = ? AND id = ?", arguments: [context, id])
        if let holder, holder != guid { return nil }
        if holder == nil {
            try db.execute(
                sql: """
                    INSERT INTO accord_schemas (context, id, guid, schema_type, schema, metadata, rule_set)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [context, id, guid, content.schemaType.rawValue, content.schema, content.metadata, content.ruleSet])
            for (position, reference) in content.references.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO accord_schema_references (context, schema_id, position, name, subject, version)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [context, id, position, reference.name, reference.subject, reference.version])
            }
        }
        // A named context comes into being with its counter row.
        try db.execute(
            sql: """
                INSERT INTO accord_counters (name, value) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)
                """,
            arguments: [counterName(context), id])
        try db.execute(
            sql: "INSERT INTO accord_subject_versions (subject, version, context, schema_id, deleted) VALUES (?, ?, ?, ?, 0)",
            arguments: [subject, version, context, id])
        return SubjectVersion(subject: subject, version: version, schemaID: id)
    }
}

/// Runs async operations one at a time, in arrival order.
final class WriteQueue: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    func run<T>(_ operation: () async throws -> T) async throws -> T {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state in
                if state.busy {
                    state.waiters.append(waiter)
                    return false
                }
                state.busy = true
                return true
            }
            if now { waiter.resume() }
        }
        defer {
            let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if state.waiters.isEmpty {
                    state.busy = false
                    return nil
                }
                return state.waiters.removeFirst()
            }
            next?.resume()
        }
        return try await operation()
    }
}
