import SchemaProviders
import JSONSupport
import ProtobufCompatibility
import RegistryCore
import SchemaCompatibility
import RegistryPostgres
import RegistrySQLite
import Testing

/// One suite, every store: InMemoryStore (the reference), SQLiteStore (a temporary file) and PostgresStore (a
/// fresh database on the server `make test` starts).
@Suite struct StoreConformanceTests {
    @Test(arguments: StoreKind.allCases)
    func allocatesIdsAndVersionsAndSharesIdsOfEqualContent(kind: StoreKind) async throws {
        try await withStore(kind) { (store: any RegistryStore, _: StoreFixture) async throws -> Void in
            #expect(try await store.maxSchemaID() == 0)
            #expect(try await store.add("zeta", avro("A")) == SubjectVersion(subject: "zeta", version: 1, schemaID: 1))
            #expect(try await store.add("zeta", avro("B")) == SubjectVersion(subject: "zeta", version: 2, schemaID: 2))
            let seen = try await store.register(subject: "alpha", content: avro("A"), guid: avro("A").guid) { state in
                #expect(state.versions.isEmpty)
                #expect(state.sameContent == StoredSchema(id: 1, guid: avro("A").guid, content: avro("A")))
                return try Allocation.create(subject: "s", in: state)
            }
            #expect(seen == SubjectVersion(subject: "alpha", version: 1, schemaID: 1))
            #expect(try await store.add("Beta", avro("C")) == SubjectVersion(subject: "Beta", version: 1, schemaID: 3))
            // Already live in the subject: the same version, nothing written.
            #expect(try await store.add("zeta", avro("A")) == SubjectVersion(subject: "zeta", version: 1, schemaID: 1))
            #expect(try await store.maxSchemaID() == 3)

            #expect(try await store.schema(id: 2) == StoredSchema(id: 2, guid: avro("B").guid, content: avro("B")))
            #expect(try await store.schema(guid: avro("C").guid)?.id == 3)
            #expect(try await store.schema(id: 99) == nil)
            #expect(try await store.schema(guid: "no-such-guid") == nil)
            // Code point order, as Swift sorts: uppercase before lowercase.
            #expect(try await store.subjectNames() == ["Beta", "alpha", "zeta"])
            #expect(
                try await store.versions(subject: "zeta") == [
                    SubjectVersion(subject: "zeta", version: 1, schemaID: 1),
                    SubjectVersion(subject: "zeta", version: 2, schemaID: 2),
                ])
            #expect(try await store.versions(subject: "nobody") == [])
            #expect(
                try await store.versions(schemaID: 1) == [
                    SubjectVersion(subject: "alpha", version: 1, schemaID: 1),
                    SubjectVersion(subject: "zeta", version: 1, schemaID: 1),
                ])
            #expect(
                try await store.allVersions().map { "\($0.subject)/\($0.version)=\($0.schemaID)" } == [
                    "Beta/1=3", "alpha/1=1", "zeta/1=1", "zeta/2=2",
                ])
            try await store.ping()
        }
    }

    @Test(arguments: StoreKind.allCases)
    func existingDecisionWritesNothing(kind: StoreKind) async throws {
        try await withStore(kind) { (store: any RegistryStore, _: StoreFixture) async throws -> Void in
            let first = try await store.add("s", avro("A"))
            let answer = try await store.register(subject: "s", content: avro("A"), guid: avro("A").guid) { state in
                .existing(state.versions[0])
            }
            #expect(answer == first)
            #expect(try await store.versions(subject: "s") == [first])
            #expect(try await store.maxSchemaID() == 1)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func keepsReferencesMetadataAndRuleSetAndFindsReferrers(kind: StoreKind) async throws {
        try await withStore(kind) { (store: any RegistryStore, _: StoreFixture) async throws -> Void in
            _ = try await store.add("base", avro("Base"))
            _ = try await store.add("base", avro("Base2"))
            let references = [
                SchemaReference(name: "Base", subject: "base", version: 1),
                SchemaReference(name: "Base2", subject: "base", version: 2),
            ]
            var content = avro("User", references: references)
            content.metadata = #"{"properties":{"owner":"team-a"}}"#
            content.ruleSet = #"{"domainRules":[]}"#
            let user = try await store.add("user", content)
            let order = try await store.add("order", avro("Order", references: [references[0]]))
            let proto = SchemaContent(schemaType: .protobuf, schema: "syntax = \"proto3\";\nmessage M {}\n")
            _ = try await store.add("proto", proto)

            #expect(try await store.schema(id: user.schemaID)?.content == content)
            #expect(try await store.schema(guid: proto.guid)?.content.schemaType == .protobuf)
            #expect(try await store.referrers(subject: "base", version: 1) == defaultIDs([user.schemaID, order.schemaID]))
            #expect(try await store.referrers(subject: "base", version: 2) == defaultIDs([user.schemaID]))
            #expect(try await store.referrers(subject: "user", version: 1) == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func importHonoursRequestedIdsAndVersionsAndRefusesConflicts(kind: StoreKind) async throws {
        try await withStore(kind) { (store: any RegistryStore, _: StoreFixture) async throws -> Void in
            #expect(try await store.add("s", avro("A"), id: 100, version: 5) == SubjectVersion(subject: "s", version: 5, schemaID: 100))
            #expect(try await store.maxSchemaID() == 100)
            #expect(try await store.add("s", avro("B")) == SubjectVersion(subject: "s", version: 6, schemaID: 101))
            // A lower explicit id does not lower the counter.
            #expect(try await store.add("t", avro("C"), id: 7, version: 1) == SubjectVersion(subject: "t", version: 1, schemaID: 7))
            #expect(try await store.maxSchemaID() == 101)
            // Same content under its own id elsewhere is fine.
            #expect(try await store.add("u", avro("A"), id: 100, version: 3) == SubjectVersion(subject: "u", version: 3, schemaID: 100))

            #expect(await errorCode { try await store.add("v", avro("D"), id: 100) } == 42205)
            #expect(await errorCode { try await store.add("v", avro("A"), id: 55) } == 42207)
            #expect(await errorCode { try await store.add("s", avro("E"), version: 5) } == 42205)
            // Nothing of the refused registrations was written.
            #expect(try await store.versions(subject: "v") == [])
            #expect(try await store.schema(guid: avro("E").guid) == nil)
            #expect(try await store.maxSchemaID() == 101)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func errorsOfTheDecisionPassThroughUnchanged(kind: StoreKind) async throws {
        struct Refused: Error, Equatable {}
        try await withStore(kind) { (store: any RegistryStore, _: StoreFixture) async throws -> Void in
            let incompatible = RegistryError.incompatible("Schema being registered is incompatible with an earlier schema")
            do {
                _ = try await store.register(subject: "s", content: avro("A"), guid: avro("A").guid) { _ in throw incompatible }
                Issue.record("registered although decide threw")
            } catch {
                #expect(error as? RegistryError == incompatible)
            }
            do {
                _ = try await store.register(subject: "s", content: avro("A"), guid: avro("A").guid) { _ in throw Refused() }
                Issue.record("registered although decide threw")
            } catch {
                #expect(error as? Refused == Refused())
            }
            #expect(try await store.subjectNames() == [])
            #expect(try await store.maxSchemaID() == 0)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func softDeleteMarksVersionsAndNeverReusesTheirNumbers(kind: StoreKind) async throws {
        try await withStore(kind) { (store: any RegistryStore, _: StoreFixture) async throws -> Void in
            _ = try await store.add("s", avro("A"))
            _ = try await store.add("s", avro("B"))
            try await store.softDelete(subject: "s", versions: [2])
            #expect(
                try await store.versions(subject: "s") == [
                    SubjectVersion(subject: "s", version: 1, schemaID: 1),
                    SubjectVersion(subject: "s", version: 2, schemaID: 2, deleted: true),
                ])
            #expect(try await store.versions(schemaID: 2) == [SubjectVersion(subject: "s", version: 2, schemaID: 2, deleted: true)])
            #expect(try await store.subjectNames() == ["s"])
            // Content that is only soft-deleted in the subject is registered again as a new version, same id.
            #expect(try await store.add("s", avro("B")) == SubjectVersion(subject: "s", version: 3, schemaID: 2))
            try await store.softDelete(subject: "s", versions: [1, 3])
            #expect(try await store.add("s", avro("C")) == SubjectVersion(subject: "s", version: 4, schemaID: 3))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func permanentDeleteRemovesRowsOrphansConfigAndModeButNeverIds(kind: StoreKind) async throws {
        try await withStore(kind) { (store: any RegistryStore, _: StoreFixture) async throws -> Void in
            _ = try await store.add("a", avro("A"))  // id 1
            _ = try await store.add("a", avro("B", references: [SchemaReference(name: "A", subject: "a", version: 1)]))  // id 2
            _ = try await store.add("b", avro("A"))  // id 1 again
            try await store.setConfig(SubjectConfig(compatibilityLevel: .full), subject: "a")
            try await store.setMode(.readOnly, subject: "a")
            try await store.softDelete(subject: "a", versions: [1, 2])

            try await store.permanentlyDelete(subject: "a", versions: [1])
            // Schema 1 is still used by b; a keeps its config while a version remains.
            #expect(try await store.schema(id: 1)?.content == avro("A"))
            #expect(try await store.config(subject: "a")?.compatibilityLevel == .full)
            #expect(try await store.versions(subject: "a").map(\.version) == [2])

            try await store.permanentlyDelete(subject: "a", versions: [2])
            #expect(try await store.schema(id: 2) == nil)
            #expect(try await store.schema(guid: avro("B", references: [SchemaReference(name: "A", subject: "a", version: 1)]).guid) == nil)
            #expect(try await store.referrers(subject: "a", version: 1) == [])
            #expect(try await store.config(subject: "a") == nil)
            #expect(try await store.mode(subject: "a") == nil)
            #expect(try await store.subjectNames() == ["b"])
            #expect(try await store.versions(subject: "a") == [])
            #expect(try await store.allVersions() == [SubjectVersion(subject: "b", version: 1, schemaID: 1)])

            // Ids are never handed out again; a deleted subject starts over at version 1.
            #expect(try await store.maxSchemaID() == 2)
            #expect(try await store.add("a", avro("C")) == SubjectVersion(subject: "a", version: 1, schemaID: 3))
            try await store.permanentlyDelete(subject: "b", versions: [1])
            #expect(try await store.schema(id: 1) == nil)
            #expect(try await store.add("b", avro("A")) == SubjectVersion(subject: "b", version: 1, schemaID: 4))
            #expect(try await store.maxSchemaID() == 4)
            // Only an explicit IMPORT id may take a deleted id's number.
            #expect(try await store.add("c", avro("D"), id: 2, version: 1) == SubjectVersion(subject: "c", version: 1, schemaID: 2))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func keepsConfigsAndModesPerSubjectAndGlobally(kind: StoreKind) async throws {
        try await withStore(kind) { (store: any RegistryStore, _: StoreFixture) async throws -> Void in
            #expect(try await store.config(subject: nil) == nil)
            #expect(try await store.mode(subject: nil) == nil)
            let global = SubjectConfig(
                compatibilityLevel: .backwardTransitive, normalize: true, protobufRules: .wire, compatibilityGroup: "app.major",
                other: JSONObject(["alias": .string("x"), "validateFields": .bool(false)]))
            try await store.setConfig(global, subject: nil)
            try await store.setConfig(SubjectConfig(compatibilityLevel: CompatibilityLevel.none), subject: "s")
            try await store.setMode(.import, subject: nil)
            try await store.setMode(.readOnly, subject: "s")
            // A subject named like the reserved global key is still just a subject.
            try await store.setMode(.readWrite, subject: "global")

            #expect(try await store.config(subject: nil) == global)
            #expect(try await store.config(subject: "s") == SubjectConfig(compatibilityLevel: CompatibilityLevel.none))
            #expect(try await store.config(subject: "t") == nil)
            #expect(try await store.mode(subject: nil) == .import)
            #expect(try await store.mode(subject: "s") == .readOnly)
            #expect(try await store.mode(subject: "global") == .readWrite)

            try await store.setConfig(SubjectConfig(compatibilityLevel: .forward), subject: "s")
            #expect(try await store.config(subject: "s")?.compatibilityLevel == .forward)
            try await store.setConfig(nil, subject: "s")
            try await store.setMode(nil, subject: nil)
            #expect(try await store.config(subject: "s") == nil)
            #expect(try await store.mode(subject: nil) == nil)
            #expect(try await store.config(subject: nil) == global)
            // Config alone does not make a subject.
            #expect(try await store.subjectNames() == [])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentRegistrationsThroughTwoHandlesAllocateWithoutGapsOrDuplicates(kind: StoreKind) async throws {
        try await withStore(kind) { first, fixture in
            try await fixture.withHandle { second in
                let perHandle = 50
                let results = try await withThrowingTaskGroup(of: (Int, SubjectVersion).self) { group in
                    for store in [first, second] {
                        for i in 0..<perHandle {
                            // 5 subjects, 20 contents; both handles send the same registrations at the same time.
                            let content = i % 20
                            group.addTask { (content, try await store.add("subject-\(i % 5)", avro("R\(content)"), deciding: .milliseconds(2))) }
                        }
                    }
                    var all: [(Int, SubjectVersion)] = []
                    for try await result in group { all.append(result) }
                    return all
                }
                #expect(results.count == 2 * perHandle)
                var idOfContent: [Int: Int] = [:]
                for (content, row) in results {
                    if let id = idOfContent[content] { #expect(id == row.schemaID) } else { idOfContent[content] = row.schemaID }
                }
                #expect(idOfContent.count == 20)
                #expect(Set(idOfContent.values).count == 20)
                #expect(try await first.maxSchemaID() == 20)
                for s in 0..<5 {
                    let versions = try await first.versions(subject: "subject-\(s)")
                    // Each subject got 20 registrations of 4 distinct contents: one version per content, 1...4.
                    #expect(versions.map(\.version) == [1, 2, 3, 4])
                    #expect(Set(versions.map(\.schemaID)).count == 4)
                }
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func documentsAreWrittenOnlyByAWriterThatReadTheCurrentRevision(kind: StoreKind) async throws {
        try await withStore(kind) { first, fixture in
            #expect(try await first.document(named: "j") == nil)
            // No document yet: only revision 0 may write.
            #expect(try await first.replaceDocument(named: "j", text: "one", expecting: 1) == nil)
            #expect(try await first.replaceDocument(named: "j", text: "one", expecting: 0) == 1)
            #expect(try await first.replaceDocument(named: "j", text: "stale", expecting: 0) == nil)
            #expect(try await first.replaceDocument(named: "j", text: "two", expecting: 1) == 2)
            #expect(try await first.document(named: "j") == StoredDocument(text: "two", revision: 2))
            #expect(try await first.document(named: "other") == nil)

            // Many writers, two handles, all holding revision 2: exactly one wins.
            try await fixture.withHandle { second in
                let winners = try await withThrowingTaskGroup(of: String?.self) { group in
                    for (index, store) in [first, second, first, second, first, second].enumerated() {
                        group.addTask { try await store.replaceDocument(named: "j", text: "w\(index)", expecting: 2).map { _ in "w\(index)" } }
                    }
                    var won: [String] = []
                    for try await result in group { if let result { won.append(result) } }
                    return won
                }
                #expect(winners.count == 1)
                #expect(try await second.document(named: "j") == StoredDocument(text: winners.first ?? "", revision: 3))
            }
        }
    }

    @Test(arguments: StoreKind.persistent)
    func dataSurvivesReopeningAndMigrationsRunOnce(kind: StoreKind) async throws {
        try await withStore(kind) { store, fixture in
            _ = try await store.add("s", avro("A", references: [SchemaReference(name: "X", subject: "x", version: 1)]))
            try await store.setConfig(SubjectConfig(compatibilityLevel: .full), subject: nil)
            try await store.setMode(.readOnly, subject: "s")
            try await store.softDelete(subject: "s", versions: [1])
            #expect(try await store.replaceDocument(named: "migrations/journal", text: "{\"releases\":[]}", expecting: 0) == 1)

            for _ in 0..<2 {
                try await fixture.withHandle { again async throws in
                    #expect(try await migrations(again) == [1, 2, 3])
                    #expect(try await again.versions(subject: "s") == [SubjectVersion(subject: "s", version: 1, schemaID: 1, deleted: true)])
                    #expect(try await again.schema(id: 1)?.content.references == [SchemaReference(name: "X", subject: "x", version: 1)])
                    #expect(try await again.referrers(subject: "x", version: 1) == defaultIDs([1]))
                    #expect(try await again.config(subject: nil)?.compatibilityLevel == .full)
                    #expect(try await again.mode(subject: "s") == .readOnly)
                    #expect(try await again.maxSchemaID() == 1)
                    #expect(try await again.document(named: "migrations/journal") == StoredDocument(text: "{\"releases\":[]}", revision: 1))
                }
            }
        }
    }
}

/// The Confluent code of the `RegistryError` `body` throws; nil when it throws none, -1 for another error.
func errorCode(_ body: () async throws -> SubjectVersion) async -> Int? {
    do {
        _ = try await body()
        return nil
    } catch let error as RegistryError {
        return error.code
    } catch {
        return -1
    }
}

/// Stores that record their migrations.
protocol MigratedStore {
    func appliedMigrations() async throws -> [Int]
}

extension SQLiteStore: MigratedStore {}
extension PostgresStore: MigratedStore {}

func migrations(_ store: any RegistryStore) async throws -> [Int] {
    try await (store as? any MigratedStore)?.appliedMigrations() ?? []
}
