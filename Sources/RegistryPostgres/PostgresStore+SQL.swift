import SchemaProviders
import PostgresNIO
import RegistryCore

/// The store's queries, on a connection (pooled, or inside a transaction).
extension PostgresStore {
    /// The key of a subject's config or mode row; the global one has its own key no subject can produce.
    static func scope(_ subject: String?) -> String {
        subject.map { "subject:" + $0 } ?? "global"
    }

    static func ints(_ connection: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws -> [Int] {
        var values: [Int] = []
        for try await value in try await connection.query(query, logger: logger).decode(Int.self) {
            values.append(value)
        }
        return values
    }

    static func string(_ connection: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws -> String? {
        var result: String?
        for try await value in try await connection.query(query, logger: logger).decode(String.self) {
            result = value
        }
        return result
    }

    /// The counter row of a context's ids: `schema_id` for the default context, `schema_id:.ctx` for another.
    static func counterName(_ context: String) -> String {
        context == RegistryContext.defaultName ? "schema_id" : "schema_id:" + context
    }

    static func counter(_ connection: PostgresConnection, context: String, _ logger: Logger) async throws -> Int {
        try await ints(connection, "SELECT value FROM accord_counters WHERE name = \(counterName(context))", logger).first ?? 0
    }

    static func versions(_ connection: PostgresConnection, subject: String, _ logger: Logger) async throws -> [SubjectVersion] {
        try await versionRows(
            connection,
            """
            SELECT subject, version, schema_id, deleted FROM accord_subject_versions
            WHERE subject = \(subject) ORDER BY version
            """, logger)
    }

    static func versionRows(_ connection: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws
        -> [SubjectVersion]
    {
        var rows: [SubjectVersion] = []
        for try await (subject, version, schemaID, deleted) in try await connection.query(query, logger: logger)
            .decode((String, Int, Int, Bool).self)
        {
            rows.append(SubjectVersion(subject: subject, version: version, schemaID: schemaID, deleted: deleted))
        }
        return rows
    }

    static func schema(_ connection: PostgresConnection, id: Int, context: String, _ logger: Logger) async throws
        -> StoredSchema?
    {
        try await schema(
            connection, context: context,
            """
            SELECT id, guid, schema_type, schema, metadata, rule_set FROM accord_schemas
            WHERE context = \(context) AND id = \(id)
            """, logger)
    }

    static func schema(_ connection: PostgresConnection, guid: String, context: String, _ logger: Logger) async throws
        -> StoredSchema?
    {
        try await schema(
            connection, context: context,
            """
            SELECT id, guid, schema_type, schema, metadata, rule_set FROM accord_schemas
            WHERE context = \(context) AND guid = \(guid)
            """, logger)
    }

    private static func schema(
        _ connection: PostgresConnection, context: String, _ query: PostgresQuery, _ logger: Logger
    ) async throws -> StoredSchema?
    {
        var found: (id: Int, guid: String, type: String, schema: String, metadata: String?, ruleSet: String?)?
        for try await row in try await connection.query(query, logger: logger)
            .decode((Int, String, String, String, String?, String?).self)
        {
            found = row
        }
        guard let found else { return nil }
        let type = SchemaType(rawValue: found.type)
        var references: [SchemaReference] = []
        for try await (name, subject, version) in try await connection.query(
            """
            SELECT name, subject, version FROM accord_schema_references
            WHERE context = \(context) AND schema_id = \(found.id) ORDER BY position
            """,
            logger: logger
        ).decode((String, String, Int).self) {
            references.append(SchemaReference(name: name, subject: subject, version: version))
        }
        let content = SchemaContent(
            schemaType: type, schema: found.schema, references: references, metadata: found.metadata, ruleSet: found.ruleSet)
        return StoredSchema(id: found.id, guid: found.guid, content: content, context: context)
    }

    /// Writes the version the core decided (and the schema row when the content is new). Runs under the write
    /// lock, in the transaction the decision was made in.
    func insert(
        _ connection: PostgresConnection, subject: String, content: SchemaContent, guid: String, id: Int, version: Int
    ) async throws -> SubjectVersion {
        let logger = self.logger
        let context = RegistryContext.context(of: subject)
        let existing = try await Self.ints(
            connection, "SELECT id FROM accord_schemas WHERE context = \(context) AND guid = \(guid)", logger
        ).first
        if existing == nil {
            try await connection.query(
                """
                INSERT INTO accord_schemas (context, id, guid, schema_type, schema, metadata, rule_set)
                VALUES (\(context), \(id), \(guid), \(content.schemaType.rawValue), \(content.schema), \(content.metadata), \(content.ruleSet))
                """, logger: logger)
            for (position, reference) in content.references.enumerated() {
                try await connection.query(
                    """
                    INSERT INTO accord_schema_references (context, schema_id, position, name, subject, version)
                    VALUES (\(context), \(id), \(position), \(reference.name), \(reference.subject), \(reference.version))
                    """, logger: logger)
            }
        }
        // A named context comes into being with its counter row.
        try await connection.query(
            """
            INSERT INTO accord_counters (name, value) VALUES (\(Self.counterName(context)), \(id))
            ON CONFLICT (name) DO UPDATE SET value = GREATEST(accord_counters.value, excluded.value)
            """, logger: logger)
        try await connection.query(
            """
            INSERT INTO accord_subject_versions (subject, version, context, schema_id, deleted)
            VALUES (\(subject), \(version), \(context), \(id), FALSE)
            """, logger: logger)
        return SubjectVersion(subject: subject, version: version, schemaID: id)
    }
}
