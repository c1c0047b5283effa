import SchemaProviders
import Testing

@testable import RegistryCore

@Suite struct InMemoryStoreTests {
    let avro = SchemaContent(schemaType: .avro, schema: #"{"type":"string"}"#)

    @Test func allocatesIdsAndVersionsAndReusesIdsForEqualContent() async throws {
        let store = InMemoryStore()
        let first = try await store.register(subject: "a", content: avro, guid: avro.guid) { state in try Allocation.create(subject: "s", in: state) }
        let second = try await store.register(subject: "b", content: avro, guid: avro.guid) { state in
            #expect(state.sameContent?.id == 1)
            return try Allocation.create(subject: "s", in: state)
        }
        #expect(first == SubjectVersion(subject: "a", version: 1, schemaID: 1))
        #expect(second == SubjectVersion(subject: "b", version: 1, schemaID: 1))
        #expect(await store.maxSchemaID(context: ".") == 1)
    }

    @Test func guidIsAUUIDOfTheContent() {
        let guid = avro.guid
        #expect(guid.count == 36)
        #expect(guid == SchemaContent(schemaType: .avro, schema: #"{"type":"string"}"#).guid)
        #expect(guid != SchemaContent(schemaType: .avro, schema: #"{"type":"string"}"#, metadata: "{}").guid)
    }
}
