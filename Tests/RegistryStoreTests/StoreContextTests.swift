import Foundation
import GRDB
import RegistryCore
import Testing

@testable import RegistrySQLite

/// Contexts (`:.ctx:subject`) in every store: ids, guids and referrers per context; a context exists from its
/// first registration until it is deleted empty.
@Suite struct StoreContextTests {
    @Test(arguments: StoreKind.allCases)
    func eachContextHasItsOwnIdsAndGuids(kind: StoreKind) async throws {
        try await withStore(kind) { (store: any RegistryStore, _: StoreFixture) async throws -> Void in
            #expect(try await store.namedContexts() == [])
            #expect(try await store.add("orders", avro("A")) == SubjectVersion(subject: "orders", version: 1, schemaID: 1))
            #expect(try await store.add("orders", avro("B")) == SubjectVersion(subject: "orders", version: 2, schemaID: 2))
            // The same content in another context is another schema there, with that context's first id.
            #expect(
                try await store.add(":.eu:orders", avro("B"))
                    == SubjectVersion(subject: ":.eu:orders", version: 1, schemaID: 1))
            #expect(
                try await store.add(":.eu:payments", avro("C"))
                    == SubjectVersion(subject: ":.eu:payments", version: 1, schemaID: 2))
            #expect(
                try await store.add(":.ap:orders", avro("A"))
                    == SubjectVersion(subject: ":.ap:orders", version: 1, schemaID: 1))
            #expect(try await store.namedContexts() == [".ap", ".eu"])
            #expect(try await store.maxSchemaID(context: ".") == 2)
            #expect(try await store.maxSchemaID(context: ".eu") == 2)
            #expect(try await store.maxSchemaID(context: ".ap") == 1)
            #expect(try await store.schema(id: 1, context: ".")?.content == avro("A"))
            #expect(try await store.schema(id: 1, context: ".eu")?.content == avro("B"))
            #expect(try await store.schema(id: 1, context: ".eu")?.context == ".eu")
            #expect(try await store.schema(id: 2, context: ".ap") == nil)
            #expect(try await store.schema(guid: avro("C").guid, context: ".eu")?.id == 2)
            #expect(try await store.schema(guid: avro("C").guid, context: ".") == nil)
            #expect(
                try await store.versions(schemaID: 1, context: ".eu") == [
                    SubjectVersion(subject: ":.eu:orders", version: 1, schemaID: 1)
                ])
            #expect(try await store.subjectNames() == [":.ap:orders", ":.eu:orders", ":.eu:payments", "orders"])

            // A context with versions (soft-deleted ones too) cannot be deleted; an empty one can, and its ids
            // start again.
            #expect(try await store.deleteContext(".ap") == false)
            try await store.softDelete(subject: ":.ap:orders", versions: [1])
            #expect(try await store.deleteContext(".ap") == false)
            try await store.permanentlyDelete(subject: ":.ap:orders", versions: [1])
            #expect(try await store.schema(id: 1, context: ".ap") == nil)
            #expect(try await store.schema(id: 1, context: ".")?.content == avro("A"))
            #expect(try await store.deleteContext(".ap") == true)
            #expect(try await store.namedContexts() == [".eu"])
            #expect(try await store.maxSchemaID(context: ".ap") == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func referencesWithoutAContextNameTheReferrersOwn(kind: StoreKind) async throws {
        try await withStore(kind) { (store: any RegistryStore, _: StoreFixture) async throws -> Void in
            _ = try await store.add("base", avro("Base"))
            _ = try await store.add(":.eu:base", avro("Base"))
            let local = try await store.add(
                ":.eu:user", avro("User", references: [SchemaReference(name: "Base", subject: "base", version: 1)]))
            let explicit = try await store.add(
                "order", avro("Order", references: [SchemaReference(name: "Base", subject: ":.eu:base", version: 1)]))
            let plain = try await store.add(
                "item", avro("Item", references: [SchemaReference(name: "Base", subject: "base", version: 1)]))
            #expect(local.schemaID == 2 && explicit.schemaID == 2 && plain.schemaID == 3)
            #expect(
                try await store.referrers(subject: ":.eu:base", version: 1) == [
                    ContextualID(context: ".", id: 2), ContextualID(context: ".eu", id: 2),
                ])
            #expect(try await store.referrers(subject: "base", version: 1) == [ContextualID(context: ".", id: 3)])
        }
    }

    /// A database written before contexts (migrations 1 and 2) keeps every id, guid, reference and version when
    /// migration 3 adds the context columns.
    @Test func anSQLiteDatabaseFromBeforeContextsIsUpgradedInPlace() async throws {
        let path = NSTemporaryDirectory() + "accord-upgrade-" + UUID().uuidString + ".sqlite"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let old = try DatabaseQueue(path: path)
        try await old.write { db in
            try db.execute(sql: "CREATE TABLE accord_schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            for migration in SQLiteMigrations.all where migration.version <= 2 {
                for statement in migration.statements { try db.execute(sql: statement) }
                try db.execute(
                    sql: "INSERT INTO accord_schema_migrations VALUES (?, '2026-01-01T00:00:00Z')", arguments: [migration.version])
            }
            try db.execute(sql: "INSERT INTO accord_schemas VALUES (5, 'g-base', 'AVRO', '{\"type\":\"string\"}', NULL, NULL)")
            try db.execute(sql: "INSERT INTO accord_schemas VALUES (7, 'g-user', 'AVRO', 'U', '{\"tags\":{}}', NULL)")
            try db.execute(sql: "INSERT INTO accord_schema_references VALUES (7, 0, 'Base', 'base', 1)")
            try db.execute(sql: "INSERT INTO accord_subject_versions VALUES ('base', 1, 5, 0)")
            try db.execute(sql: "INSERT INTO accord_subject_versions VALUES ('user', 1, 7, 1)")
            try db.execute(sql: "UPDATE accord_counters SET value = 9 WHERE name = 'schema_id'")
        }
        try old.close()

        let store = try SQLiteStore(path: path)
        #expect(try await store.appliedMigrations() == [1, 2, 3])
        #expect(try await store.maxSchemaID(context: ".") == 9)
        let user = try await store.schema(id: 7, context: ".")
        #expect(user?.guid == "g-user")
        #expect(user?.content.metadata == #"{"tags":{}}"#)
        #expect(user?.content.references == [SchemaReference(name: "Base", subject: "base", version: 1)])
        #expect(try await store.schema(guid: "g-base", context: ".")?.id == 5)
        #expect(try await store.versions(subject: "user") == [SubjectVersion(subject: "user", version: 1, schemaID: 7, deleted: true)])
        #expect(try await store.referrers(subject: "base", version: 1) == [ContextualID(context: ".", id: 7)])
        #expect(try await store.namedContexts() == [])
        // The next registration continues the old sequence.
        #expect(try await store.add("fresh", avro("Fresh")) == SubjectVersion(subject: "fresh", version: 1, schemaID: 10))
    }
}
