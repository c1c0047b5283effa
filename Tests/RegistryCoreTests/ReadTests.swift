import SchemaProviders
import Foundation
import ProtobufSchema
import SwiftProtobuf
import Testing

@testable import RegistryCore

@Suite struct LookupTests {
    @Test func findsTheVersionOfRegisteredContent() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.add("s", avro(Fixtures.userV2))
        let found = try await registry.lookup(subject: "s", request: avro(Fixtures.userV1Spaced))
        #expect(found.subject == "s")
        #expect(found.version == 1)
        #expect(found.schema.id == 1)
        #expect(found.schema.content.schema == Fixtures.userV1)
        #expect(found.deleted == false)
        let protoRegistry = makeRegistry()
        try await protoRegistry.add("p", proto(Fixtures.orderProto))
        #expect(try await protoRegistry.lookup(subject: "p", request: proto(Fixtures.orderProto)).version == 1)
    }

    @Test func unknownSubjectIs40401AndUnknownSchemaIs40403() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        let noSubject = await registryError { try await registry.lookup(subject: "t", request: avro(Fixtures.userV1)) }
        #expect(noSubject?.code == 40401)
        #expect(noSubject?.message == "Subject 't' not found.")
        let noSchema = await registryError { try await registry.lookup(subject: "s", request: avro(Fixtures.userV2)) }
        #expect(noSchema?.code == 40403)
        // Content registered elsewhere is still not in this subject.
        try await registry.add("other", avro(Fixtures.address))
        #expect(await registryError { try await registry.lookup(subject: "s", request: avro(Fixtures.address)) }?.code == 40403)
    }

    @Test func deletedFlagFindsSoftDeletedVersions() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.add("s", avro(Fixtures.userV2))
        _ = try await registry.deleteVersion(subject: "s", .number(1))
        #expect(await registryError { try await registry.lookup(subject: "s", request: avro(Fixtures.userV1)) }?.code == 40403)
        let found = try await registry.lookup(subject: "s", request: avro(Fixtures.userV1), includeDeleted: true)
        #expect(found.version == 1)
        #expect(found.deleted)
        _ = try await registry.deleteSubject(subject: "s")
        #expect(await registryError { try await registry.lookup(subject: "s", request: avro(Fixtures.userV2)) }?.code == 40401)
        #expect(try await registry.lookup(subject: "s", request: avro(Fixtures.userV2), includeDeleted: true).version == 2)
    }

    @Test func lookupWithoutMetadataFindsAVersionRegisteredWithIt() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1, metadata: #"{"properties":{"owner":"a"}}"#))
        let found = try await registry.lookup(subject: "s", request: avro(Fixtures.userV1))
        #expect(found.version == 1)
        #expect(found.schema.content.metadata == #"{"properties":{"owner":"a"}}"#)
    }

    @Test func lookupNormalizes() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1), normalize: true)
        // Without normalize too: Confluent finds a version whose parsed schema equals the request's
        // (AbstractSchemaRegistry.lookUpSchemaUnderSubject → ParsedSchema.canLookup), whatever the key order.
        #expect(try await registry.lookup(subject: "s", request: avro(Fixtures.userV1Reordered)).version == 1)
        #expect(try await registry.lookup(subject: "s", request: avro(Fixtures.userV1Reordered), normalize: true).version == 1)
    }
}

@Suite struct ListingTests {
    /// a-value (v1, v2), b-value (v1, soft-deleted v2), c-key (all soft-deleted), d-value.
    func populated() async throws -> Registry {
        let registry = makeRegistry()
        try await registry.setLevel("NONE")
        try await registry.add("a-value", avro(Fixtures.userV1))
        try await registry.add("a-value", avro(Fixtures.userV2))
        try await registry.add("b-value", avro(Fixtures.address))
        try await registry.add("b-value", avro(Fixtures.userWithAge))
        _ = try await registry.deleteVersion(subject: "b-value", .number(2))
        try await registry.add("c-key", avro(#""string""#))
        _ = try await registry.deleteSubject(subject: "c-key")
        try await registry.add("d-value", proto(Fixtures.orderProto))
        return registry
    }

    @Test func subjectsWithFilters() async throws {
        let registry = try await populated()
        #expect(try await registry.subjects() == ["a-value", "b-value", "d-value"])
        #expect(try await registry.subjects(filter: .all) == ["a-value", "b-value", "c-key", "d-value"])
        // deletedOnly: subjects whose every version is soft-deleted (b-value still has a live one).
        #expect(try await registry.subjects(filter: .deletedOnly) == ["c-key"])
        #expect(DeletedFilter(deleted: true, deletedOnly: true) == .deletedOnly)
        #expect(try await registry.subjects(prefix: "b") == ["b-value"])
        #expect(try await registry.subjects(prefix: ":*:") == ["a-value", "b-value", "d-value"])
        #expect(try await registry.subjects(prefix: "c", filter: .all) == ["c-key"])
        #expect(try await registry.subjects(prefix: "zzz") == [])
        #expect(try await registry.subjects(page: Page(offset: 1, limit: 1)) == ["b-value"])
        #expect(try await registry.subjects(page: Page(offset: 2, limit: -1)) == ["d-value"])
        #expect(try await registry.subjects(page: Page(offset: 9, limit: 2)) == [])
    }

    @Test func versionsWithFilters() async throws {
        let registry = try await populated()
        #expect(try await registry.versions(subject: "b-value") == [1])
        #expect(try await registry.versions(subject: "b-value", filter: .all) == [1, 2])
        #expect(try await registry.versions(subject: "b-value", filter: .deletedOnly) == [2])
        #expect(try await registry.versions(subject: "b-value", deletedAsNegative: true) == [1, -2])
        #expect(try await registry.versions(subject: "a-value", page: Page(offset: 1)) == [2])
        #expect(try await registry.versions(subject: "a-value", page: Page(offset: 0, limit: 1)) == [1])
        #expect(await registryError { try await registry.versions(subject: "nope") }?.code == 40401)
        // A subject whose versions are all soft-deleted is not found unless deleted ones are asked for.
        #expect(await registryError { try await registry.versions(subject: "c-key") }?.code == 40401)
        #expect(try await registry.versions(subject: "c-key", filter: .all) == [1])
        #expect(try await registry.versions(subject: "c-key", filter: .deletedOnly) == [1])
        // deletedOnly on a subject with no deleted versions is an empty list (the subject exists).
        #expect(try await registry.versions(subject: "a-value", filter: .deletedOnly) == [])
        // deletedAsNegative lists every version, also with deletedOnly, but alone does not find a deleted subject.
        #expect(try await registry.versions(subject: "b-value", filter: .deletedOnly, deletedAsNegative: true) == [1, -2])
        #expect(await registryError { try await registry.versions(subject: "c-key", deletedAsNegative: true) }?.code == 40401)
        #expect(try await registry.versions(subject: "c-key", filter: .all, deletedAsNegative: true) == [-1])
    }

    @Test func versionByNumberLatestAndMinusOne() async throws {
        let registry = try await populated()
        let latest = try await registry.version(subject: "a-value", .latest)
        #expect(latest.version == 2)
        #expect(latest.schema.id == 2)
        #expect(latest.schema.content.schema == Fixtures.userV2)
        #expect(try await registry.version(subject: "a-value", VersionSpec("-1")).version == 2)
        #expect(try await registry.version(subject: "a-value", VersionSpec("1")).schema.id == 1)
        // b-value's latest live version is 1; version 2 is soft-deleted.
        #expect(try await registry.version(subject: "b-value", .latest).version == 1)
        #expect(await registryError { try await registry.version(subject: "b-value", .number(2)) }?.code == 40402)
        let deleted = try await registry.version(subject: "b-value", .number(2), includeDeleted: true)
        #expect(deleted.deleted)
        #expect(deleted.schema.content.schema == Fixtures.userWithAge)
        #expect(await registryError { try await registry.version(subject: "a-value", .number(3)) }?.code == 40402)
        #expect(await registryError { try await registry.version(subject: "nope", .latest) }?.code == 40401)
        #expect(await registryError { try await registry.version(subject: "nope", .number(1)) }?.code == 40401)
        #expect(await registryError { try await registry.version(subject: "c-key", .latest) }?.code == 40401)
        #expect(try await registry.version(subject: "c-key", .number(1), includeDeleted: true).version == 1)
        // `latest` is the latest live version, also with deleted=true.
        #expect(try await registry.version(subject: "b-value", .latest, includeDeleted: true).version == 1)
        let noLive = await registryError { try await registry.version(subject: "c-key", .latest, includeDeleted: true) }
        #expect(noLive?.code == 40402)
    }

    @Test func versionSpecParsing() throws {
        #expect(try VersionSpec("latest") == .latest)
        #expect(try VersionSpec("-1") == .latest)
        #expect(try VersionSpec("1") == .number(1))
        #expect(try VersionSpec("2147483647") == .number(2_147_483_647))
        for bad in ["0", "abc", "2147483648", "-2", "", "1.5", " 1", "+1", "99999999999"] {
            #expect(throws: RegistryError.self) { try VersionSpec(bad) }
            do {
                _ = try VersionSpec(bad)
            } catch {
                #expect(error.code == 42202)
            }
        }
    }

    @Test func schemasListing() async throws {
        let registry = try await populated()
        let all = try await registry.schemas()
        #expect(all.map { "\($0.subject)/\($0.version)" } == ["a-value/1", "a-value/2", "b-value/1", "d-value/1"])
        #expect(all.map(\.schema.id) == [1, 2, 3, 6])
        let latest = try await registry.schemas(latestOnly: true)
        #expect(latest.map { "\($0.subject)/\($0.version)" } == ["a-value/2", "b-value/1", "d-value/1"])
        let withDeleted = try await registry.schemas(includeDeleted: true)
        #expect(withDeleted.count == 6)
        #expect(withDeleted.filter(\.deleted).map { "\($0.subject)/\($0.version)" } == ["b-value/2", "c-key/1"])
        let prefixed = try await registry.schemas(prefix: "a-")
        #expect(prefixed.map(\.version) == [1, 2])
        let limited = try await registry.schemas(page: Page(offset: 1, limit: 2))
        #expect(limited.map { "\($0.subject)/\($0.version)" } == ["a-value/2", "b-value/1"])
        let defaultLimit = try await makeRegistry(options: RegistryOptions(schemaSearchLimit: 2)).schemas()
        #expect(defaultLimit.isEmpty)
        let capped = try await populatedWith(options: RegistryOptions(schemaSearchLimit: 2)).schemas(page: Page(limit: 50))
        #expect(capped.count == 2)
    }

    func populatedWith(options: RegistryOptions) async throws -> Registry {
        let registry = makeRegistry(options: options)
        try await registry.setLevel("NONE")
        for (index, schema) in [Fixtures.userV1, Fixtures.userV2, Fixtures.address].enumerated() {
            try await registry.add("s\(index)", avro(schema))
        }
        return registry
    }

    @Test func schemaByIdAndGuid() async throws {
        let registry = try await populated()
        let schema = try await registry.schema(id: 2)
        #expect(schema.content.schema == Fixtures.userV2)
        #expect(schema.content.schemaType == .avro)
        let byGuid = try await registry.schema(guid: schema.guid)
        #expect(byGuid.id == 2)
        let missingID = await registryError { try await registry.schema(id: 99) }
        #expect(missingID?.code == 40403)
        #expect(await registryError { try await registry.schema(guid: "00000000-0000-0000-0000-000000000000") }?.code == 40403)
        // Soft-deleted schemas are still served by id.
        #expect(try await registry.schema(id: 5).content.schema == #""string""#)
        #expect(try await registry.maxSchemaID() == 6)
    }

    @Test func subjectsAndVersionsById() async throws {
        let registry = try await populated()
        try await registry.add("e-value", avro(Fixtures.userV1))
        #expect(try await registry.subjects(schemaID: 1) == ["a-value", "e-value"])
        #expect(try await registry.subjects(schemaID: 1, subject: "e-value") == ["e-value"])
        #expect(try await registry.subjectVersions(schemaID: 1).map { "\($0.subject)/\($0.version)" } == ["a-value/1", "e-value/1"])
        #expect(try await registry.subjects(schemaID: 1, page: Page(offset: 1, limit: 1)) == ["e-value"])
        // Schema 4 is only in a soft-deleted version.
        #expect(try await registry.subjects(schemaID: 4) == [])
        #expect(try await registry.subjects(schemaID: 4, includeDeleted: true) == ["b-value"])
        let versions = try await registry.subjectVersions(schemaID: 4, includeDeleted: true)
        #expect(versions == [SubjectVersion(subject: "b-value", version: 2, schemaID: 4, deleted: true)])
        #expect(await registryError { try await registry.subjects(schemaID: 42) }?.code == 40403)
        #expect(await registryError { try await registry.subjectVersions(schemaID: 42) }?.code == 40403)
    }

    @Test func referencedBy() async throws {
        let registry = makeRegistry()
        try await registry.add("address", avro(Fixtures.address))
        let reference = SchemaReference(name: "com.acme.Address", subject: "address", version: 1)
        try await registry.add("customer", avro(Fixtures.customer, references: [reference]))
        try await registry.add("customer2", avro(Fixtures.customer, references: [reference]))
        #expect(try await registry.referencedBy(subject: "address", .number(1)) == [2])
        #expect(try await registry.referencedBy(subject: "address", .latest) == [2])
        #expect(await registryError { try await registry.referencedBy(subject: "address", .number(2)) }?.code == 40402)
        #expect(await registryError { try await registry.referencedBy(subject: "nope", .number(1)) }?.code == 40401)
        // Once every referring version is soft-deleted, only `deleted` shows it.
        _ = try await registry.deleteSubject(subject: "customer")
        _ = try await registry.deleteSubject(subject: "customer2")
        #expect(try await registry.referencedBy(subject: "address", .number(1)) == [])
        #expect(try await registry.referencedBy(subject: "address", .number(1), includeDeleted: true) == [2])
    }

    @Test func schemaTypes() {
        #expect(makeRegistry().schemaTypes == ["AVRO", "PROTOBUF", "JSON"])
    }

    // MARK: Formats

    @Test func serializedFormatForProtobufDecodesToAFileDescriptorProto() async throws {
        let registry = makeRegistry()
        let id = try await registry.add("p", proto(Fixtures.orderProto)).id
        let stored = try await registry.schema(id: id)
        let base64 = try await registry.render(stored, format: "serialized")
        let data = try #require(Data(base64Encoded: base64))
        let file = try Google_Protobuf_FileDescriptorProto(serializedBytes: [UInt8](data))
        #expect(file.package == "acme")
        #expect(file.messageType.map(\.name) == ["Order"])
        #expect(file.messageType.first?.field.map(\.name) == ["id", "amount"])
        #expect(file.messageType.first?.field.map(\.number) == [1, 2])
        #expect(file.syntax == "proto3")
        // Registering the serialized form again finds the same schema.
        #expect(try await registry.add("p", proto(base64)) == (id, 1))
        // Other formats give the stored text.
        #expect(try await registry.render(stored, format: nil) == stored.content.schema)
        #expect(try await registry.render(stored, format: "") == stored.content.schema)
    }

    @Test func resolvedFormatForAvroWritesReferencedTypesIn() async throws {
        let registry = makeRegistry()
        try await registry.add("address", avro(Fixtures.address))
        let reference = SchemaReference(name: "com.acme.Address", subject: "address", version: 1)
        let id = try await registry.add("customer", avro(Fixtures.customer, references: [reference])).id
        let stored = try await registry.schema(id: id)
        let resolved = try await registry.render(stored, format: "resolved")
        #expect(resolved != stored.content.schema)
        #expect(resolved.contains("\"street\""))
        #expect(resolved.contains("\"com.acme.Address\""))
        #expect(resolved.contains("\"com.acme.Customer\""))
        // The resolved form stands alone: it registers without references.
        let standalone = try await registry.register(subject: "standalone", request: avro(resolved))
        #expect(standalone.version == 1)
        // A schema without references renders as stored.
        let plain = try await registry.schema(id: 1)
        #expect(try await registry.render(plain, format: "resolved") == Fixtures.address)
    }
}
