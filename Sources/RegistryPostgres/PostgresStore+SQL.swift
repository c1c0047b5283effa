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

    static func counter(_ connection: PostgresConnection, _ logger: Logger) async throws -> Int {
        try await ints(connection, "SELECT value FROM accord_counters WHERE name = 'schema_id'", logger).first ?? 0
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

    static func schema(_ connection: PostgresConnection, id: Int, _ logger: Logger) async throws -> StoredSchema? {
        try await schema(
            connection,
            "SELECT id, guid, schema_type, schema, metadata, rule_set FROM accord_schemas WHERE id = \(id)", logger)
    }

    static func schema(_ connection: PostgresConnection, guid: String, _ logger: Logger) async throws -> StoredSchema? {
        try await schema(
            connection,
            "SELECT id, guid, schema_type, schema, metadata, rule_set FROM accord_schemas WHERE guid = \(guid)", logger)
    }

    private static func schema(_ connection: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws
        -> StoredSchema?
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
            "SELECT name, subject, version FROM accord_schema_references WHERE schema_id = \(found.id) ORDER BY position",
            logger: logger
        ).decode((String, String, Int).self) {
            references.append(SchemaReference(name: name, subject: subject, version: version))
        }
        let content = SchemaContent(
            schemaType: type, schema: found.schema, references: references, metadata: found.metadata, ruleSet: found.ruleSet)
        return StoredSchema(id: found.id, guid: found.guid, content: content)
    }

    /// Writes the version the core decided (and the schema row when the content is new). Runs under the write
    /// lock, in the transaction the decision was made in.
    func insert(
        _ connection: PostgresConnection, subject: String, content: SchemaContent, guid: String, id: Int, version: Int
    ) async throws -> SubjectVersion {
        let logger = self.logger
        let existing = try await Self.ints(connection, "SELECT id FROM accord_schemas WHERE guid = \(guid)", logger).first
        if existing == nil {
            try await connection.query(
                """
                INSERT INTO accord_schemas (id, guid, schema_type, schema, metadata, rule_set)
                VALUES (\(id), \(guid), \(content.schemaType.rawValue), \(content.schema), \(content.metadata), \(content.ruleSet))
                """, logger: logger)
            for (position, reference) in content.references.enumerated() {
                try await connection.query(
                    """
                    INSERT INTO accord_schema_references (schema_id, position, name, subject, version)
                    VALUES (\(id), \(position), \(reference.name), \(reference.subject), \(reference.version))
                    """, logger: logger)
            }
        }
        try await connection.query(
            "UPDATE accord_counters SET value = GREATEST(value, \(id)) WHERE name = 'schema_id'", logger: logger)
        try await connection.query(
            """
            INSERT INTO accord_subject_versions (subject, version, schema_id, deleted)
            VALUES (\(subject), \(version), \(id), FALSE)
            """, logger: logger)
        return SubjectVersion(subject: subject, version: version, schemaID: id)
    }
}
