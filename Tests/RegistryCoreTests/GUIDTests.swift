import SchemaProviders
import Testing

@testable import RegistryCore

/// The guid is Confluent's: MD5 over the schema text, each reference's name, subject and big-endian version, a
/// marker byte and the metadata (tags, properties, sensitive; sorted), a marker byte and the rule set (migration,
/// domain, encoding rules, kind and mode defaulted). The expected values were computed with Python's hashlib
/// from that recipe, apart from this code.
@Suite struct GUIDTests {
    static let order = #"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}"#

    @Test func theGuidIsConfluentsDigestOfTheContent() {
        #expect(SchemaContent(schemaType: .avro, schema: Self.order).guid == "b040db4b-fdae-23ea-4a07-95f3973b98c8")
        // The type is not part of Confluent's digest.
        #expect(SchemaContent(schemaType: .json, schema: Self.order).guid == "b040db4b-fdae-23ea-4a07-95f3973b98c8")
        let referencing = SchemaContent(
            schemaType: .avro, schema: Self.order,
            references: [SchemaReference(name: "com.acme.Money", subject: "money-value", version: 3)])
        #expect(referencing.guid == "98e75e8c-a470-1c2a-cddb-41ff2b64554d")
        #expect(SchemaContent(schemaType: .avro, schema: Self.order, metadata: "{}").guid == "6373be46-f04b-1c91-e230-4a7b5dc460f9")
    }

    @Test func metadataAndRulesAreHashedInJavasSortedOrderWithDefaults() {
        // Keys, tags and sets out of order and a repeated tag: Confluent sorts them into TreeMaps and TreeSets.
        let metadata = #"{"properties":{"owner":"team-a","major_version":"2"},"tags":{"Order.id":["PII","A","PII"]},"sensitive":["k2","k1"]}"#
        let ruleSet = #"""
            {"domainRules":[{"name":"checkId","kind":"CONDITION","type":"CEL","expr":"message.id > 0","params":{"b":"2","a":"1"},"tags":["PII"],"onFailure":"DLQ","disabled":true}],
             "migrationRules":[{"name":"up","type":"JSONATA","mode":"UPGRADE","expr":"$"}]}
            """#
        let content = SchemaContent(schemaType: .avro, schema: Self.order, metadata: metadata, ruleSet: ruleSet)
        #expect(content.guid == "d2aeca3b-7ef1-3a42-a69c-209c489810d8")
    }

    @Test func registrationAndLookupAnswerConfluentsGuid() async throws {
        let registry = makeRegistry()
        let result = try await registry.register(subject: "orders-value", request: avro(Self.order))
        #expect(result.guid == "b040db4b-fdae-23ea-4a07-95f3973b98c8")
        #expect(try await registry.schema(guid: result.guid).id == result.id)
    }

    /// A text another type's schema already holds Confluent's guid for is stored under the typed guid, with an
    /// id of its own; content an earlier Accord stored under the typed guid is still found, and keeps its guid.
    @Test func aGuidHeldByAnotherTypeOrAnEarlierVersionIsRespected() async throws {
        let store = InMemoryStore()
        let registry = Registry(store: store, options: RegistryOptions())
        let json = #"{"type":"object"}"#
        // A stand-in for the collision: an Avro row already under the JSON schema's Confluent guid.
        let squatter = SchemaContent(schemaType: .avro, schema: #""string""#)
        let jsonContent = SchemaContent(schemaType: .json, schema: json)
        _ = try await store.register(subject: "other", content: squatter, guid: jsonContent.guid) { state in try Allocation.create(subject: "s", in: state) }
        let registered = try await registry.register(subject: "j-value", request: SchemaRequest(schemaType: .json, schema: json))
        #expect(registered.id == 2)
        #expect(registered.guid == ContentDigest.typedGUID(of: jsonContent))
        #expect(try await registry.lookup(subject: "j-value", request: SchemaRequest(schemaType: .json, schema: json)).schema.id == 2)

        // Stored by an earlier version under the typed guid: registering it again reuses it.
        let legacy = SchemaContent(schemaType: .avro, schema: Self.order)
        let old = try await store.register(subject: "legacy-value", content: legacy, guid: ContentDigest.typedGUID(of: legacy)) { state in
            try Allocation.create(subject: "s", in: state)
        }
        let again = try await registry.register(subject: "new-value", request: avro(Self.order))
        #expect(again.id == old.schemaID)
        #expect(again.guid == ContentDigest.typedGUID(of: legacy))
    }

    @Test func aSchemaOverTheSizeLimitIsRefusedWith42209() async throws {
        let registry = makeRegistry(options: RegistryOptions(maxSchemaBytes: 200))
        let big = #"{"type":"record","name":"Big","fields":[\#((0..<10).map { #"{"name":"f\#($0)","type":"string"}"# }.joined(separator: ","))]}"#
        let error = await registryError { try await registry.register(subject: "big-value", request: avro(big)) }
        #expect(error?.code == 42209)
        #expect(error?.message == "Register operation failed because schema is too large")
        #expect(try await registry.register(subject: "small-value", request: avro(Self.order)).id == 1)
    }
}
