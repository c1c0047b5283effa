import GRDB

/// The versioned migrations of Accord's own tables in SQLite. Each runs once, in the transaction that records
/// it in `accord_schema_migrations`; a migration is never edited once released, only followed by a new one.
enum SQLiteMigrations {
    static let all: [(version: Int, statements: [String])] = [
        (
            1,
            [
                // One row per distinct content: the same schema under 1,000 subjects is one row.
                """
                CREATE TABLE accord_schemas (
                    id INTEGER PRIMARY KEY,
                    guid TEXT NOT NULL UNIQUE,
                    schema_type TEXT NOT NULL,
                    schema TEXT NOT NULL,
                    metadata TEXT,
                    rule_set TEXT
                )
                """,
                """
                CREATE TABLE accord_schema_references (
                    schema_id INTEGER NOT NULL REFERENCES accord_schemas(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    PRIMARY KEY (schema_id, position)
                ) WITHOUT ROWID
                """,
                // Referrers of a subject version.
                "CREATE INDEX accord_schema_references_target ON accord_schema_references (subject, version, schema_id)",
                """
                CREATE TABLE accord_subject_versions (
                    subject TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    schema_id INTEGER NOT NULL REFERENCES accord_schemas(id),
                    deleted INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (subject, version)
                ) WITHOUT ROWID
                """,
                "CREATE INDEX accord_subject_versions_schema ON accord_subject_versions (schema_id, subject, version)",
                // Keyed by 'global' or 'subject:' + name.
                "CREATE TABLE accord_configs (scope TEXT PRIMARY KEY, config TEXT NOT NULL) WITHOUT ROWID",
                "CREATE TABLE accord_modes (scope TEXT PRIMARY KEY, mode TEXT NOT NULL) WITHOUT ROWID",
                // The largest schema id ever handed out: never goes back, so ids are never reused.
                "CREATE TABLE accord_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
                "INSERT INTO accord_counters (name, value) VALUES ('schema_id', 0)",
            ]
        ),
        (
            2,
            [
                // Accord's own documents (the migration journal), written by compare-and-set on `revision`.
                "CREATE TABLE accord_documents (name TEXT PRIMARY KEY, revision INTEGER NOT NULL, body TEXT NOT NULL) WITHOUT ROWID"
            ]
        ),
    ]

    /// Applies the migrations this database lacks, each in its own (immediate) transaction that also records it.
    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS accord_schema_migrations (
                    version INTEGER PRIMARY KEY,
                    applied_at TEXT NOT NULL
                )
                """)
        for migration in all {
            try db.inTransaction(.immediate) {
                let done = try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM accord_schema_migrations WHERE version = ?)",
                    arguments: [migration.version])
                guard done != true else { return .commit }
                for statement in migration.statements {
                    try db.execute(sql: statement)
                }
                try db.execute(
                    sql: """
                        INSERT INTO accord_schema_migrations (version, applied_at)
                        VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                        """,
                    arguments: [migration.version])
                return .commit
            }
        }
    }
}
