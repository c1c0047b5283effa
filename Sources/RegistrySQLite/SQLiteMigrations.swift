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
        (
            3,
            [
                // Contexts (`:.ctx:subject`): ids and guids are unique per context, so every schema row, reference
                // and version carries its context ('.' for what was stored before). SQLite cannot change a primary
                // key in place: the tables are rebuilt under their names and filled from the old ones.
                "PRAGMA defer_foreign_keys = ON",
                "ALTER TABLE accord_schemas RENAME TO accord_schemas_v1",
                "ALTER TABLE accord_schema_references RENAME TO accord_schema_references_v1",
                "ALTER TABLE accord_subject_versions RENAME TO accord_subject_versions_v1",
                "DROP INDEX accord_schema_references_target",
                "DROP INDEX accord_subject_versions_schema",
                """
                CREATE TABLE accord_schemas (
                    context TEXT NOT NULL,
                    id INTEGER NOT NULL,
                    guid TEXT NOT NULL,
                    schema_type TEXT NOT NULL,
                    schema TEXT NOT NULL,
                    metadata TEXT,
                    rule_set TEXT,
                    PRIMARY KEY (context, id),
                    UNIQUE (context, guid)
                ) WITHOUT ROWID
                """,
                """
                CREATE TABLE accord_schema_references (
                    context TEXT NOT NULL,
                    schema_id INTEGER NOT NULL,
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    PRIMARY KEY (context, schema_id, position),
                    FOREIGN KEY (context, schema_id) REFERENCES accord_schemas (context, id) ON DELETE CASCADE
                ) WITHOUT ROWID
                """,
                // Referrers of a subject version: the reference's subject as written, read in its context.
                "CREATE INDEX accord_schema_references_target ON accord_schema_references (subject, version, context, schema_id)",
                """
                CREATE TABLE accord_subject_versions (
                    subject TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    context TEXT NOT NULL,
                    schema_id INTEGER NOT NULL,
                    deleted INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (subject, version),
                    FOREIGN KEY (context, schema_id) REFERENCES accord_schemas (context, id)
                ) WITHOUT ROWID
                """,
                "CREATE INDEX accord_subject_versions_schema ON accord_subject_versions (context, schema_id, subject, version)",
                """
                INSERT INTO accord_schemas (context, id, guid, schema_type, schema, metadata, rule_set)
                SELECT '.', id, guid, schema_type, schema, metadata, rule_set FROM accord_schemas_v1
                """,
                """
                INSERT INTO accord_schema_references (context, schema_id, position, name, subject, version)
                SELECT '.', schema_id, position, name, subject, version FROM accord_schema_references_v1
                """,
                """
                INSERT INTO accord_subject_versions (subject, version, context, schema_id, deleted)
                SELECT subject, version, '.', schema_id, deleted FROM accord_subject_versions_v1
                """,
                "DROP TABLE accord_schema_references_v1",
                "DROP TABLE accord_subject_versions_v1",
                "DROP TABLE accord_schemas_v1",
                // A named context's id counter is the row 'schema_id:' + its name, and that row is what makes the
                // context exist (GET /contexts) until DELETE /contexts/{ctx} removes it.
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
