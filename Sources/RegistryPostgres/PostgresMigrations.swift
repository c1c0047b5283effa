import PostgresNIO

/// The versioned migrations of Accord's own tables in PostgreSQL. Each runs once, in the transaction that
/// records it in `accord_schema_migrations`, under an advisory lock so that nodes starting together on an empty
/// database do not race. A migration is never edited once released, only followed by a new one.
enum PostgresMigrations {
    /// `pg_advisory_xact_lock` key of migrations ("Accord" + 1 in ASCII).
    static let lockKey = 0x4163_636F_7264_01

    static let all: [(version: Int, statements: [String])] = [
        (
            1,
            [
                // One row per distinct content: the same schema under 1,000 subjects is one row.
                """
                CREATE TABLE accord_schemas (
                    id BIGINT PRIMARY KEY,
                    guid TEXT NOT NULL UNIQUE,
                    schema_type TEXT NOT NULL,
                    schema TEXT NOT NULL,
                    metadata TEXT,
                    rule_set TEXT
                )
                """,
                """
                CREATE TABLE accord_schema_references (
                    schema_id BIGINT NOT NULL REFERENCES accord_schemas(id) ON DELETE CASCADE,
                    position INT NOT NULL,
                    name TEXT NOT NULL,
                    subject TEXT COLLATE "C" NOT NULL,
                    version BIGINT NOT NULL,
                    PRIMARY KEY (schema_id, position)
                )
                """,
                // Referrers of a subject version.
                "CREATE INDEX accord_schema_references_target ON accord_schema_references (subject, version, schema_id)",
                // COLLATE "C": subjects sort by code point, as Swift's and SQLite's comparisons do.
                """
                CREATE TABLE accord_subject_versions (
                    subject TEXT COLLATE "C" NOT NULL,
                    version BIGINT NOT NULL,
                    schema_id BIGINT NOT NULL REFERENCES accord_schemas(id),
                    deleted BOOLEAN NOT NULL DEFAULT FALSE,
                    PRIMARY KEY (subject, version)
                )
                """,
                "CREATE INDEX accord_subject_versions_schema ON accord_subject_versions (schema_id, subject, version)",
                // Keyed by 'global' or 'subject:' + name.
                "CREATE TABLE accord_configs (scope TEXT PRIMARY KEY, config TEXT NOT NULL)",
                "CREATE TABLE accord_modes (scope TEXT PRIMARY KEY, mode TEXT NOT NULL)",
                // The largest schema id ever handed out: never goes back, so ids are never reused.
                "CREATE TABLE accord_counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
                "INSERT INTO accord_counters (name, value) VALUES ('schema_id', 0)",
            ]
        ),
        (
            2,
            [
                // Accord's own documents (the migration journal), written by compare-and-set on `revision`.
                "CREATE TABLE accord_documents (name TEXT PRIMARY KEY, revision BIGINT NOT NULL, body TEXT NOT NULL)"
            ]
        ),
    ]

    /// Applies the migrations this database lacks, each in its own transaction.
    static func run(_ client: PostgresClient, logger: Logger) async throws {
        for migration in all {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS accord_schema_migrations (
                        version INT PRIMARY KEY,
                        applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                    )
                    """,
                    logger: logger)
                let rows = try await connection.query(
                    "SELECT count(*) FROM accord_schema_migrations WHERE version = \(migration.version)", logger: logger)
                var done = false
                for try await count in rows.decode(Int.self) { done = count > 0 }
                guard !done else { return }
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO accord_schema_migrations (version) VALUES (\(migration.version))", logger: logger)
            }
        }
    }
}
