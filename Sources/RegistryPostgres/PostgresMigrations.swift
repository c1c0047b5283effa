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
        (
            3,
            [
                // Contexts (`:.ctx:subject`): ids and guids are unique per context, so every schema row, reference
                // and version carries its context ('.' for what was stored before).
                "ALTER TABLE accord_subject_versions DROP CONSTRAINT accord_subject_versions_schema_id_fkey",
                "ALTER TABLE accord_schema_references DROP CONSTRAINT accord_schema_references_schema_id_fkey",
                """
                ALTER TABLE accord_schemas ADD COLUMN context TEXT COLLATE "C" NOT NULL DEFAULT '.',
                    DROP CONSTRAINT accord_schemas_pkey, DROP CONSTRAINT accord_schemas_guid_key,
                    ADD PRIMARY KEY (context, id), ADD UNIQUE (context, guid)
                """,
                """
                ALTER TABLE accord_schema_references ADD COLUMN context TEXT COLLATE "C" NOT NULL DEFAULT '.',
                    DROP CONSTRAINT accord_schema_references_pkey, ADD PRIMARY KEY (context, schema_id, position),
                    ADD FOREIGN KEY (context, schema_id) REFERENCES accord_schemas (context, id) ON DELETE CASCADE
                """,
                """
                ALTER TABLE accord_subject_versions ADD COLUMN context TEXT COLLATE "C" NOT NULL DEFAULT '.',
                    ADD FOREIGN KEY (context, schema_id) REFERENCES accord_schemas (context, id)
                """,
                "DROP INDEX accord_schema_references_target",
                "CREATE INDEX accord_schema_references_target ON accord_schema_references (subject, version, context, schema_id)",
                "DROP INDEX accord_subject_versions_schema",
                "CREATE INDEX accord_subject_versions_schema ON accord_subject_versions (context, schema_id, subject, version)",
                // A named context's id counter is the row 'schema_id:' + its name, and that row is what makes the
                // context exist (GET /contexts) until DELETE /contexts/{ctx} removes it.
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
