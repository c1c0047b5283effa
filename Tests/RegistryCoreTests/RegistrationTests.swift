import SchemaProviders
import Foundation
import Synchronization
import JSONSupport
import ProtobufSchema
import SwiftProtobuf
import Testing

@testable import RegistryCore

@Suite struct RegistrationTests {
    @Test func idsAreGlobalAndVersionsPerSubject() async throws {
        let registry = makeRegistry()
        let first = try await registry.add("a-value", avro(Fixtures.userV1))
        let second = try await registry.add("b-value", avro(Fixtures.address))
        let third = try await registry.add("a-value", avro(Fixtures.userV2))
        #expect(first == (1, 1))
        #expect(second == (2, 1))
        #expect(third == (3, 2))
        #expect(try await registry.maxSchemaID() == 3)
    }

    @Test func identicalContentSharesItsIdAcrossSubjects() async throws {
        let registry = makeRegistry()
        try await registry.add("other", avro(Fixtures.address))
        let a = try await registry.add("a-value", avro(Fixtures.userV1))
        let b = try await registry.add("b-value", avro(Fixtures.userV1))
        #expect(a == (2, 1))
        #expect(b == (2, 1))
        #expect(try await registry.subjects(schemaID: 2) == ["a-value", "b-value"])
        #expect(try await registry.maxSchemaID() == 2)
    }

    @Test func registrationAnswersGuidTypeAndStoredText() async throws {
        let registry = makeRegistry()
        let result = try await registry.register(subject: "s", request: avro(Fixtures.userV1Spaced))
        #expect(result.schemaType == .avro)
        #expect(result.schema == Fixtures.userV1)
        #expect(result.guid == SchemaContent(schemaType: .avro, schema: Fixtures.userV1).guid)
        #expect(result.guid.count == 36)
        let byGuid = try await registry.schema(guid: result.guid)
        #expect(byGuid.id == result.id)
    }

    @Test func reRegisteringLiveContentReturnsItsVersionWithoutACheck() async throws {
        let registry = makeRegistry()
        // v1 has a field without default; v2 drops it (BACKWARD compatible). v1 again would not be
        // BACKWARD compatible with v2, but it is already version 1, so it is answered without a check.
        try await registry.add("s", avro(Fixtures.userWithAge))
        try await registry.add("s", avro(Fixtures.userV1))
        let again = try await registry.add("s", avro(Fixtures.userWithAge))
        #expect(again == (1, 1))
        #expect(try await registry.versions(subject: "s") == [1, 2])
        // It does not become latest either.
        #expect(try await registry.version(subject: "s", .latest).version == 2)
    }

    @Test func reRegisteringASoftDeletedSchemaGivesANewVersionWithTheSameId() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.add("s", avro(Fixtures.userV2))
        #expect(try await registry.deleteVersion(subject: "s", .number(1)) == 1)
        let again = try await registry.add("s", avro(Fixtures.userV1))
        #expect(again == (1, 3))
        #expect(try await registry.versions(subject: "s") == [2, 3])
        // Confluent tombstones the soft-deleted version that had the same id.
        #expect(try await registry.versions(subject: "s", filter: .all) == [2, 3])
    }

    @Test func aReferencedSoftDeletedVersionIsNotTombstoned() async throws {
        let registry = makeRegistry()
        try await registry.add("address", avro(Fixtures.address))
        let reference = SchemaReference(name: "com.acme.Address", subject: "address", version: 1)
        try await registry.add("customer", avro(Fixtures.customer, references: [reference]))
        _ = try await registry.deleteSubject(subject: "customer")
        _ = try await registry.deleteSubject(subject: "address")
        #expect(try await registry.add("address", avro(Fixtures.address)) == (1, 2))
        #expect(try await registry.versions(subject: "address", filter: .all) == [1, 2])
        #expect(try await registry.referencedBy(subject: "address", .number(1), includeDeleted: true) == [2])
    }

    @Test func versionsAreNeverReusedAfterSoftDelete() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.add("s", avro(Fixtures.userV2))
        _ = try await registry.deleteVersion(subject: "s", .number(2))
        let next = try await registry.add("s", avro(Fixtures.address), force: true)
        #expect(next == (3, 3))
        _ = try await registry.deleteSubject(subject: "s")
        let afterSubjectDelete = try await registry.add("s", avro(#""string""#), force: true)
            .version
        #expect(afterSubjectDelete == 4)
        #expect(try await registry.versions(subject: "s", deletedAsNegative: true) == [-1, -2, -3, 4])
    }

    @Test func whitespaceInAvroJSONGivesTheSameId() async throws {
        let registry = makeRegistry()
        let compact = try await registry.add("s", avro(Fixtures.userV1))
        let spaced = try await registry.add("s", avro(Fixtures.userV1Spaced))
        let elsewhere = try await registry.add("t", avro(Fixtures.userV1Spaced))
        #expect(compact == (1, 1))
        #expect(spaced == (1, 1))
        #expect(elsewhere == (1, 1))
    }

    @Test func normalizeMakesEquivalentSchemasOneContent() async throws {
        let registry = makeRegistry()
        let plain = try await registry.add("s", avro(Fixtures.userV1))
        // Without normalize, reordered attributes are different text and so a different schema.
        let reordered = try await registry.add("t", avro(Fixtures.userV1Reordered))
        #expect(plain == (1, 1))
        #expect(reordered == (2, 1))
        let normalizedA = try await registry.add("u", avro(Fixtures.userV1), normalize: true)
        let normalizedB = try await registry.add("u", avro(Fixtures.userV1Reordered), normalize: true)
        let normalizedC = try await registry.add("u", avro(Fixtures.userV1FullName), normalize: true)
        #expect(normalizedA == (3, 1))
        #expect(normalizedB == (3, 1))
        #expect(normalizedC == (3, 1))
        // The stored text is the normalized form: full names, fixed attribute order.
        #expect(try await registry.schema(id: 3).content.schema == Fixtures.userV1FullName)
    }

    @Test func normalizeFromSubjectConfig() async throws {
        let registry = makeRegistry()
        try await registry.setConfig(subject: "u", update: ConfigUpdate(normalize: .set(true)))
        let a = try await registry.add("u", avro(Fixtures.userV1))
        let b = try await registry.add("u", avro(Fixtures.userV1Reordered))
        #expect(a == b)
        #expect(a == (1, 1))
    }

    @Test func protobufNormalizeMakesReorderedDeclarationsOneContent() async throws {
        let registry = makeRegistry()
        let written = """
            syntax = "proto3";
            package acme;
            message Order {
              string note = 3;
              oneof pay { string card = 5; string cash = 4; }
              string id = 1;
              enum State { NEW = 0; SHIPPED = 2; PAID = 1; }
            }
            """
        let reordered = """
            syntax = "proto3";
            package acme;
            message Order {
              string id = 1;
              enum State { NEW = 0; PAID = 1; SHIPPED = 2; }
              string note = 3;
              oneof pay { string cash = 4; string card = 5; }
            }
            """
        // Without normalize the orders are two schemas; the second is already written in normalized order, so a
        // normalized lookup of the first finds it.
        #expect(try await registry.add("plain", proto(written)) == (1, 1))
        #expect(try await registry.add("plain", proto(reordered)) == (2, 2))
        #expect(try await registry.lookup(subject: "plain", request: proto(written)).version == 1)
        #expect(try await registry.lookup(subject: "plain", request: proto(written), normalize: true).version == 2)

        #expect(try await registry.add("n", proto(written), normalize: true) == (2, 1))
        #expect(try await registry.add("n", proto(reordered), normalize: true) == (2, 1))
        #expect(try await registry.lookup(subject: "n", request: proto(written), normalize: true).version == 1)
        #expect(try await registry.schema(id: 2).content.schema == """
            syntax = "proto3";

            package acme;

            message Order {
              string id = 1;
              string note = 3;

              oneof pay {
                string cash = 4;
                string card = 5;
              }

              enum State {
                NEW = 0;
                PAID = 1;
                SHIPPED = 2;
              }
            }

            """)
        // The subject's config asks for it too.
        try await registry.setConfig(subject: "c", update: ConfigUpdate(normalize: .set(true)))
        #expect(try await registry.add("c", proto(written)) == (2, 1))
        #expect(try await registry.lookup(subject: "c", request: proto(written)).version == 1)
    }

    @Test func protobufNormalizeKeepsReferencesAsImports() async throws {
        let registry = makeRegistry()
        try await registry.add("money", proto(Fixtures.moneyProto))
        let reference = [SchemaReference(name: "common/money.proto", subject: "money", version: 1)]
        let reordered = Fixtures.invoiceProto.replacingOccurrences(
            of: "  string id = 1;\n  common.Money total = 2;", with: "  common.Money total = 2;\n  string id = 1;")
        #expect(reordered != Fixtures.invoiceProto)
        let first = try await registry.add("invoice", proto(reordered, references: reference), normalize: true)
        let second = try await registry.add("invoice", proto(Fixtures.invoiceProto, references: reference), normalize: true)
        #expect(first == second)
        let stored = try await registry.schema(id: first.id).content
        #expect(stored.references == reference)
        #expect(stored.schema.contains("import \"common/money.proto\";\n"))
        #expect(stored.schema.contains("  string id = 1;\n  common.Money total = 2;\n"))
    }

    @Test func schemaTypeDefaultsToAvro() async throws {
        let registry = makeRegistry()
        let result = try await registry.register(subject: "s", request: SchemaRequest(schema: #""string""#))
        #expect(result.schemaType == .avro)
        #expect(try await registry.schema(id: result.id).content.schemaType == .avro)
        #expect(SchemaType(name: "protobuf") == .protobuf)
        // A type no provider knows is refused by the registry (42201), naming the known ones.
        await #expect(throws: RegistryError.invalidSchema("of type JSONX: the schema type is not supported (AVRO, PROTOBUF, JSON are)")) {
            try await registry.register(
                subject: "s", request: SchemaRequest(schemaType: SchemaType(name: "jsonx"), schema: #""string""#))
        }
    }

    @Test func metadataAndRuleSetAreStoredAndMakeDifferentContent() async throws {
        let registry = makeRegistry()
        let metadata = #"{"properties":{"owner":"team-a"}}"#
        let ruleSet = #"{"domainRules":[{"name":"checkName","kind":"CONDITION","mode":"WRITE","type":"CEL","expr":"true"}]}"#
        let plain = try await registry.add("s", avro(Fixtures.userV1))
        let withMetadata = try await registry.add("s", avro(Fixtures.userV1, metadata: metadata))
        let withRules = try await registry.add("s", avro(Fixtures.userV1, metadata: metadata, ruleSet: ruleSet))
        #expect(plain == (1, 1))
        #expect(withMetadata == (2, 2))
        #expect(withRules == (3, 3))
        let stored = try await registry.schema(id: 3)
        #expect(stored.content.metadata == metadata)
        #expect(stored.content.ruleSet == ruleSet)
        #expect(stored.content.schema == Fixtures.userV1)
        #expect(try await registry.schema(id: 2).content.ruleSet == nil)
        #expect(Set([plain.id, withMetadata.id, withRules.id]).count == 3)
    }

    @Test func emptySchemaReusesTheLatestSchemaWithNewMetadata() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.add("s", avro(Fixtures.userV2))
        let metadata = #"{"properties":{"owner":"team-b"}}"#
        let bumped = try await registry.register(subject: "s", request: avro("", metadata: metadata))
        #expect(bumped.version == 3)
        #expect(bumped.id == 3)
        #expect(bumped.schema == Fixtures.userV2)
        let stored = try await registry.version(subject: "s", .latest).schema.content
        #expect(stored.schema == Fixtures.userV2)
        #expect(stored.metadata == metadata)
        let absent = try await registry.register(subject: "s", request: avro(nil, metadata: metadata))
        #expect(absent.version == 3)
    }

    @Test func emptySchemaInAnEmptySubjectIsInvalid() async throws {
        let registry = makeRegistry()
        let error = await registryError { try await registry.add("s", avro("")) }
        #expect(error?.code == 42201)
    }

    @Test func invalidSchemasAre42201WithAMessage() async throws {
        let registry = makeRegistry()
        let notJSON = await registryError { try await registry.add("s", avro("{not json")) }
        #expect(notJSON?.code == 42201)
        #expect(notJSON?.message.hasPrefix("Invalid schema") == true)
        let badType = await registryError {
            try await registry.add("s", avro(#"{"type":"record","name":"R","fields":[{"name":"a","type":"nope"}]}"#))
        }
        #expect(badType?.code == 42201)
        #expect(badType?.message.contains("nope") == true)
        let badProto = await registryError {
            try await registry.add("p", proto("syntax = \"proto3\"; message M { strin x = 1; }"))
        }
        #expect(badProto?.code == 42201)
        #expect(badProto?.message.contains("PROTOBUF") == true)
        #expect(try await registry.subjects() == [])
        #expect(try await registry.maxSchemaID() == 0)
    }

    @Test func invalidSubjectIs42208() async throws {
        let registry = makeRegistry()
        #expect(await registryError { try await registry.add("", avro(Fixtures.userV1)) }?.code == 42208)
        #expect(await registryError { try await registry.add("a\u{1}b", avro(Fixtures.userV1)) }?.code == 42208)
        // Names up to 4,096 bytes (what a PostgreSQL notification carries to other nodes), not beyond.
        let longest = String(repeating: "s", count: 4096)
        #expect(try await registry.add(longest, avro(Fixtures.userV1)).version == 1)
        #expect(await registryError { try await registry.add(longest + "s", avro(Fixtures.userV1)) }?.code == 42208)
    }

    // MARK: References

    @Test func avroReferenceToANamedTypeInAnotherSubject() async throws {
        let registry = makeRegistry()
        try await registry.add("address", avro(Fixtures.address))
        let reference = SchemaReference(name: "com.acme.Address", subject: "address", version: 1)
        let customer = try await registry.add("customer", avro(Fixtures.customer, references: [reference]))
        #expect(customer == (2, 1))
        let stored = try await registry.schema(id: 2)
        #expect(stored.content.references == [reference])
        #expect(try await registry.referencedBy(subject: "address", .number(1)) == [2])
        #expect(try await registry.referencedBy(subject: "address", .latest) == [2])
        // `latest` (-1) in a reference resolves too.
        let viaLatest = SchemaReference(name: "com.acme.Address", subject: "address", version: -1)
        let other = try await registry.add("customer2", avro(Fixtures.customer, references: [viaLatest]))
        #expect(other.version == 1)
    }

    @Test func missingReferencesAre42201() async throws {
        let registry = makeRegistry()
        let noReference = await registryError { try await registry.add("customer", avro(Fixtures.customer)) }
        #expect(noReference?.code == 42201)
        let unknownSubject = await registryError {
            try await registry.add(
                "customer",
                avro(Fixtures.customer, references: [SchemaReference(name: "com.acme.Address", subject: "nope", version: 1)]))
        }
        #expect(unknownSubject?.code == 42201)
        #expect(unknownSubject?.message.contains("nope") == true)
        try await registry.add("address", avro(Fixtures.address))
        let unknownVersion = await registryError {
            try await registry.add(
                "customer",
                avro(Fixtures.customer, references: [SchemaReference(name: "com.acme.Address", subject: "address", version: 7)]))
        }
        #expect(unknownVersion?.code == 42201)
    }

    @Test func protobufImportByPathIsResolved() async throws {
        let registry = makeRegistry()
        let money = try await registry.add("money", proto(Fixtures.moneyProto))
        let reference = SchemaReference(name: "common/money.proto", subject: "money", version: 1)
        let invoice = try await registry.add("invoice-value", proto(Fixtures.invoiceProto, references: [reference]))
        #expect(money == (1, 1))
        #expect(invoice == (2, 1))
        #expect(try await registry.referencedBy(subject: "money", .number(1)) == [2])
        let missing = await registryError { try await registry.add("invoice2", proto(Fixtures.invoiceProto)) }
        #expect(missing?.code == 42201)
        let wrongPath = await registryError {
            try await registry.add(
                "invoice3",
                proto(Fixtures.invoiceProto, references: [SchemaReference(name: "money.proto", subject: "money", version: 1)]))
        }
        #expect(wrongPath?.code == 42201)
    }

    @Test func protobufIdsAreSharedAndWhitespaceInsensitive() async throws {
        let registry = makeRegistry()
        let a = try await registry.add("a", proto(Fixtures.orderProto))
        let reformatted = Fixtures.orderProto.replacingOccurrences(of: "\n  ", with: "\n      ")
        let b = try await registry.add("b", proto(reformatted))
        #expect(a == (1, 1))
        #expect(b == (1, 1))
        let result = try await registry.register(subject: "c", request: proto(Fixtures.orderProto))
        #expect(result.schemaType == .protobuf)
        #expect(result.schema.contains("message Order"))
    }

    @Test func protobufSerializedDescriptorRegistersTheSameSchema() async throws {
        let registry = makeRegistry()
        let text = try await registry.add("text", proto(Fixtures.orderProto))
        let base64 = try Fixtures.serializedDescriptor(Fixtures.orderProto)
        let serialized = try await registry.register(subject: "binary", request: proto(base64))
        #expect(serialized.schemaType == .protobuf)
        #expect(serialized.schema.contains("message Order"))
        #expect(serialized.id == text.id)
        #expect(serialized.version == 1)
        let badBase64 = await registryError { try await registry.add("binary2", proto("AAAA")) }
        #expect(badBase64?.code == 42201)
    }

    @Test func protobufSerializedDescriptorWithAnImport() async throws {
        let registry = makeRegistry()
        try await registry.add("money", proto(Fixtures.moneyProto))
        let sources = ["common/money.proto": Fixtures.moneyProto]
        let compiled = try ProtobufSchema.ProtoCompiler(resolver: .sources(sources))
            .compile(source: Fixtures.invoiceProto, path: "invoice.proto")
        let bytes: [UInt8] = try compiled.file.serializedBytes()
        let reference = SchemaReference(name: "common/money.proto", subject: "money", version: 1)
        let result = try await registry.register(
            subject: "invoice", request: proto(Data(bytes).base64EncodedString(), references: [reference]))
        #expect(result.version == 1)
        #expect(result.schema.contains("import \"common/money.proto\""))
    }
}

/// Counts what the registry reports.
final class RecordingObserver: RegistryObserver {
    private let state = Mutex<(registered: [Bool], checks: [Bool], cacheHits: Int, cacheMisses: Int)>(([], [], 0, 0))

    func parsedCache(hit: Bool) { state.withLock { if hit { $0.cacheHits += 1 } else { $0.cacheMisses += 1 } } }
    func registered(schemaType: SchemaType, created: Bool) { state.withLock { $0.registered.append(created) } }
    func compatibilityChecked(compatible: Bool) { state.withLock { $0.checks.append(compatible) } }
    func storeCall(_ operation: String, duration: Duration) {}

    var registered: [Bool] { state.withLock { $0.registered } }
    var checks: [Bool] { state.withLock { $0.checks } }
    var cache: (hits: Int, misses: Int) { state.withLock { ($0.cacheHits, $0.cacheMisses) } }
}

@Suite struct ObserverTests {
    @Test func reportsCreationChecksAndCacheUse() async throws {
        let observer = RecordingObserver()
        let registry = Registry(store: InMemoryStore(), observer: observer)
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.add("s", avro(Fixtures.userV2))
        _ = await registryError { try await registry.add("s", avro(Fixtures.userV2WithAge)) }
        try await registry.add("s", avro(Fixtures.userV2))
        #expect(observer.registered == [true, false, true, false])
        // First registration: empty subject (compatible); then v2 vs v1, the failing one vs v2.
        #expect(observer.checks == [true, true, false])
        // v1 and then v2 were parsed from the store once each (by the equivalence pass that precedes the
        // check, Confluent's canLookup); the checks against them then used the parsed copies.
        #expect(observer.cache.misses == 2)
        #expect(observer.cache.hits == 2)
        // Checking against v2 again uses the parsed copy.
        let report = try await registry.checkCompatibility(subject: "s", version: .latest, request: avro(Fixtures.userV2WithAge))
        #expect(!report.isCompatible)
        #expect(observer.cache.hits == 3)
        #expect(observer.checks == [true, true, false, false])
    }
}
