import SchemaCompatibility
import Testing

@testable import RegistryCore

@Suite struct DeleteTests {
    @Test func softThenPermanentDeleteOfAVersion() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.add("s", avro(Fixtures.userV2))
        #expect(try await registry.deleteVersion(subject: "s", .latest) == 2)
        #expect(try await registry.versions(subject: "s") == [1])
        let again = try #require(await registryError { try await registry.deleteVersion(subject: "s", .number(2)) })
        #expect(again.code == 40406)
        let notSoft = try #require(await registryError { try await registry.deleteVersion(subject: "s", .number(1), permanent: true) })
        #expect(notSoft.code == 40407)
        // `latest` with permanent names the latest live version, which is not soft-deleted.
        #expect(await registryError { try await registry.deleteVersion(subject: "s", .latest, permanent: true) }?.code == 40407)
        #expect(try await registry.deleteVersion(subject: "s", .number(2), permanent: true) == 2)
        #expect(try await registry.versions(subject: "s", filter: .all) == [1])
        // Permanent delete removed the id: nothing else used schema 2.
        #expect(await registryError { try await registry.schema(id: 2) }?.code == 40403)
        #expect(try await registry.schema(id: 1).id == 1)
        // Versions are still not reused within the subject's remaining history.
        #expect(try await registry.add("s", avro(Fixtures.address), force: true).version == 2)
    }

    @Test func missingSubjectsAndVersions() async throws {
        let registry = makeRegistry()
        #expect(await registryError { try await registry.deleteSubject(subject: "nope") }?.code == 40401)
        #expect(await registryError { try await registry.deleteSubject(subject: "nope", permanent: true) }?.code == 40401)
        #expect(await registryError { try await registry.deleteVersion(subject: "nope", .number(1)) }?.code == 40401)
        #expect(await registryError { try await registry.deleteVersion(subject: "nope", .latest) }?.code == 40401)
        try await registry.add("s", avro(Fixtures.userV1))
        let missing = try #require(await registryError { try await registry.deleteVersion(subject: "s", .number(7)) })
        #expect(missing.code == 40402)
        #expect(missing.message == "Version 7 not found.")
        #expect(await registryError { try await registry.deleteVersion(subject: "s", .number(7), permanent: true) }?.code == 40402)
    }

    @Test func versionDeleteInAFullySoftDeletedSubject() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        _ = try await registry.deleteSubject(subject: "s")
        // The version exists (soft-deleted): 40406, not 40401; an unknown version is 40402.
        #expect(await registryError { try await registry.deleteVersion(subject: "s", .number(1)) }?.code == 40406)
        #expect(await registryError { try await registry.deleteVersion(subject: "s", .number(3)) }?.code == 40402)
        #expect(await registryError { try await registry.deleteVersion(subject: "s", .latest) }?.code == 40402)
        #expect(await registryError { try await registry.deleteVersion(subject: "s", .latest, permanent: true) }?.code == 40402)
        #expect(try await registry.deleteVersion(subject: "s", .number(1), permanent: true) == 1)
        #expect(await registryError { try await registry.deleteVersion(subject: "s", .number(1)) }?.code == 40401)
    }

    @Test func softThenPermanentDeleteOfASubject() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.add("s", avro(Fixtures.userV2))
        try await registry.add("t", avro(Fixtures.userV1))
        let notSoft = try #require(await registryError { try await registry.deleteSubject(subject: "s", permanent: true) })
        #expect(notSoft.code == 40405)
        #expect(notSoft.message.contains("'s'"))
        #expect(try await registry.deleteSubject(subject: "s") == [1, 2])
        let soft = try #require(await registryError { try await registry.deleteSubject(subject: "s") })
        #expect(soft.code == 40404)
        #expect(try await registry.subjects() == ["t"])
        #expect(try await registry.deleteSubject(subject: "s", permanent: true) == [1, 2])
        #expect(try await registry.subjects(filter: .all) == ["t"])
        // Schema 1 is still used by t; schema 2 is gone.
        #expect(try await registry.schema(id: 1).id == 1)
        #expect(await registryError { try await registry.schema(id: 2) }?.code == 40403)
        #expect(await registryError { try await registry.deleteSubject(subject: "s") }?.code == 40401)
        // The subject starts again from version 1; the max id is kept.
        #expect(try await registry.add("s", avro(Fixtures.address)) == (3, 1))
    }

    @Test func softDeleteOfASubjectOnlyDeletesLiveVersions() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.add("s", avro(Fixtures.userV2))
        _ = try await registry.deleteVersion(subject: "s", .number(1))
        #expect(try await registry.deleteSubject(subject: "s") == [2])
        #expect(try await registry.deleteSubject(subject: "s", permanent: true) == [1, 2])
    }

    @Test func referencedVersionsCannotBeDeleted() async throws {
        let registry = makeRegistry()
        try await registry.add("address", avro(Fixtures.address))
        let reference = SchemaReference(name: "com.acme.Address", subject: "address", version: 1)
        try await registry.add("customer", avro(Fixtures.customer, references: [reference]))
        let version = try #require(await registryError { try await registry.deleteVersion(subject: "address", .number(1)) })
        #expect(version.code == 42206)
        #expect(version.message.contains("subject=address,version=1"))
        #expect(await registryError { try await registry.deleteSubject(subject: "address") }?.code == 42206)
        // A soft-deleted referrer no longer blocks a soft delete, but still blocks a permanent one.
        _ = try await registry.deleteSubject(subject: "customer")
        #expect(try await registry.deleteSubject(subject: "address") == [1])
        #expect(await registryError { try await registry.deleteSubject(subject: "address", permanent: true) }?.code == 42206)
        #expect(await registryError { try await registry.deleteVersion(subject: "address", .number(1), permanent: true) }?.code == 42206)
        _ = try await registry.deleteSubject(subject: "customer", permanent: true)
        #expect(try await registry.deleteSubject(subject: "address", permanent: true) == [1])
        #expect(try await registry.subjects(filter: .all) == [])
        #expect(await registryError { try await registry.schema(id: 1) }?.code == 40403)
        #expect(await registryError { try await registry.schema(id: 2) }?.code == 40403)
    }

    @Test func referencesWithinTheSubjectDoNotBlockDeletingIt() async throws {
        let registry = makeRegistry()
        try await registry.setLevel("NONE", subject: "s")
        try await registry.add("s", avro(Fixtures.address))
        let reference = SchemaReference(name: "com.acme.Address", subject: "s", version: 1)
        try await registry.add("s", avro(Fixtures.customer, references: [reference]))
        // The version alone is still protected.
        #expect(await registryError { try await registry.deleteVersion(subject: "s", .number(1)) }?.code == 42206)
        #expect(try await registry.deleteSubject(subject: "s") == [1, 2])
        #expect(try await registry.deleteSubject(subject: "s", permanent: true) == [1, 2])
        #expect(try await registry.subjects(filter: .all) == [])
        #expect(await registryError { try await registry.schema(id: 2) }?.code == 40403)
    }

    @Test func protobufImportTargetsAreProtected() async throws {
        let registry = makeRegistry()
        try await registry.add("money", proto(Fixtures.moneyProto))
        try await registry.add(
            "invoice",
            proto(Fixtures.invoiceProto, references: [SchemaReference(name: "common/money.proto", subject: "money", version: 1)]))
        #expect(await registryError { try await registry.deleteVersion(subject: "money", .latest) }?.code == 42206)
    }

    @Test func permanentSubjectDeleteRemovesItsConfigAndMode() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.setLevel("FULL", subject: "s")
        _ = try await registry.setMode(subject: "s", modeName: "READWRITE")
        _ = try await registry.deleteSubject(subject: "s")
        // A soft delete keeps them.
        #expect(try await registry.config(subject: "s").compatibilityLevel == .full)
        #expect(try await registry.mode(subject: "s") == .readWrite)
        _ = try await registry.deleteSubject(subject: "s", permanent: true)
        #expect(await registryError { try await registry.config(subject: "s") }?.code == 40408)
        #expect(await registryError { try await registry.mode(subject: "s") }?.code == 40409)
    }

    @Test func permanentVersionDeleteOfTheLastVersionRemovesConfigAndMode() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.setLevel("NONE", subject: "s")
        _ = try await registry.deleteVersion(subject: "s", .number(1))
        _ = try await registry.deleteVersion(subject: "s", .number(1), permanent: true)
        #expect(await registryError { try await registry.config(subject: "s") }?.code == 40408)
    }
}
