import JSONSupport
import ProtobufCompatibility
import SchemaCompatibility
import Testing

@testable import RegistryCore

@Suite struct ConfigTests {
    @Test func globalDefaultIsBackward() async throws {
        let registry = makeRegistry()
        let config = try await registry.config(subject: nil)
        #expect(config.compatibilityLevel == .backward)
        let other = makeRegistry(options: RegistryOptions(defaultCompatibility: .full))
        #expect(try await other.config(subject: nil).compatibilityLevel == .full)
    }

    @Test func anUpdateChangesOnlyWhatItNames() async throws {
        let registry = makeRegistry()
        try await registry.setConfig(
            subject: nil, update: ConfigUpdate(compatibilityLevel: .set(.fullTransitive), other: [(key: "validateFields", change: .set(.bool(true)))]))
        let config = try await registry.config(subject: nil)
        #expect(config.compatibilityLevel == .fullTransitive)
        #expect(config.other["validateFields"] == .bool(true))
        // A later update changes only what it names; `.remove` takes a field away.
        try await registry.setConfig(subject: nil, update: ConfigUpdate(normalize: .set(true), other: [(key: "validateFields", change: .remove)]))
        let after = try await registry.config(subject: nil)
        #expect(after.compatibilityLevel == .fullTransitive)
        #expect(after.normalize == true)
        #expect(after.other["validateFields"] == nil)
        // What the stores keep reads back the same.
        #expect(SubjectConfig(storageText: after.storageText) == after)
    }

    @Test func subjectConfigAndDefaultToGlobal() async throws {
        let registry = makeRegistry()
        let missing = try #require(await registryError { try await registry.config(subject: "s") })
        #expect(missing.code == 40408)
        #expect(try await registry.config(subject: "s", defaultToGlobal: true).compatibilityLevel == .backward)
        try await registry.setLevel("FORWARD")
        #expect(try await registry.config(subject: "s", defaultToGlobal: true).compatibilityLevel == .forward)
        try await registry.setLevel("NONE", subject: "s")
        #expect(try await registry.config(subject: "s").compatibilityLevel == CompatibilityLevel.none)
        // The subject's level is the one registration uses.
        try await registry.add("s", avro(Fixtures.userV1))
        #expect(try await registry.add("s", avro(#""int""#)).version == 2)
        #expect(await registryError { try await registry.setConfig(subject: "", update: ConfigUpdate()) }?.code == 42208)
    }

    @Test func deleteAnswersThePreviousConfig() async throws {
        let registry = makeRegistry()
        try await registry.setLevel("FULL", subject: "s")
        let previous = try await registry.deleteConfig(subject: "s")
        #expect(previous.compatibilityLevel == .full)
        #expect(await registryError { try await registry.config(subject: "s") }?.code == 40408)
        // DELETE of a config that is not there is 40401, as Confluent answers.
        #expect(await registryError { try await registry.deleteConfig(subject: "s") }?.code == 40401)
        try await registry.setLevel("NONE")
        #expect(try await registry.deleteConfig(subject: nil).compatibilityLevel == CompatibilityLevel.none)
        #expect(try await registry.config(subject: nil).compatibilityLevel == .backward)
        // Deleting an unset global config answers the defaults.
        #expect(try await registry.deleteConfig(subject: nil).compatibilityLevel == .backward)
    }

    @Test func configWritesAreRefusedInReadOnlyMode() async throws {
        let registry = makeRegistry()
        try await registry.setLevel("FULL", subject: "s")
        _ = try await registry.setMode(subject: "s", modeName: "READONLY")
        #expect(await registryError { try await registry.setLevel("NONE", subject: "s") }?.code == 42205)
        #expect(await registryError { try await registry.deleteConfig(subject: "s") }?.code == 42205)
        // An invalid level is still 42203 first.
        #expect(await registryError { try await registry.setLevel("SIDEWAYS", subject: "s") }?.code == 42203)
        #expect(try await registry.config(subject: "s").compatibilityLevel == .full)
        // Other subjects and the global config are not affected.
        try await registry.setLevel("NONE", subject: "t")
        _ = try await registry.setMode(subject: nil, modeName: "READONLY")
        #expect(await registryError { try await registry.setLevel("NONE") }?.code == 42205)
        #expect(await registryError { try await registry.deleteConfig(subject: nil) }?.code == 42205)
    }

    @Test func configStorageRoundTrips() {
        let config = SubjectConfig(
            compatibilityLevel: .backwardTransitive, normalize: false, protobufRules: .file, compatibilityGroup: "major",
            other: JSONObject(["alias": .string("t")]))
        #expect(SubjectConfig(storageText: config.storageText) == config)
        #expect(SubjectConfig(storageText: "[]") == nil)
    }
}

@Suite struct ModeTests {
    @Test func defaultModeIsReadWrite() async throws {
        let registry = makeRegistry()
        #expect(try await registry.mode(subject: nil) == .readWrite)
        let missing = try #require(await registryError { try await registry.mode(subject: "s") })
        #expect(missing.code == 40409)
        #expect(try await registry.mode(subject: "s", defaultToGlobal: true) == .readWrite)
        #expect(await registryError { try await registry.deleteMode(subject: "s") }?.code == 40401)
    }

    @Test func invalidModeIs42204() async throws {
        let registry = makeRegistry()
        let error = try #require(await registryError { try await registry.setMode(subject: nil, modeName: "WRITEONLY") })
        #expect(error.code == 42204)
        #expect(await registryError { try await registry.setMode(subject: "s", modeName: "") }?.code == 42204)
        #expect(try await registry.setMode(subject: nil, modeName: "readonly") == .readOnly)
    }

    @Test func readOnlyBlocksRegistrationAndDeletion() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.add("t", avro(Fixtures.userV1))
        #expect(try await registry.setMode(subject: "s", modeName: "READONLY") == .readOnly)
        let register = try #require(await registryError { try await registry.add("s", avro(Fixtures.userV2)) })
        #expect(register.code == 42205)
        #expect(await registryError { try await registry.deleteVersion(subject: "s", .number(1)) }?.code == 42205)
        #expect(await registryError { try await registry.deleteSubject(subject: "s") }?.code == 42205)
        // Reads still work, and other subjects are writable.
        #expect(try await registry.lookup(subject: "s", request: avro(Fixtures.userV1)).version == 1)
        #expect(try await registry.add("t", avro(Fixtures.userV2)).version == 2)
        // Global READONLY covers subjects without their own mode; a subject's READWRITE overrides it.
        #expect(try await registry.deleteMode(subject: "s") == .readOnly)
        _ = try await registry.setMode(subject: nil, modeName: "READONLY")
        #expect(await registryError { try await registry.add("t", avro(Fixtures.address), force: true) }?.code == 42205)
        _ = try await registry.setMode(subject: "t", modeName: "READWRITE")
        #expect(try await registry.add("t", avro(Fixtures.address), force: true).version == 3)
        #expect(try await registry.deleteMode(subject: nil) == .readOnly)
        #expect(try await registry.mode(subject: nil) == .readWrite)
    }

    @Test func importNeedsAnEmptyScopeUnlessForced() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        let subject = try #require(await registryError { try await registry.setMode(subject: "s", modeName: "IMPORT") })
        #expect(subject.code == 42205)
        #expect(await registryError { try await registry.setMode(subject: nil, modeName: "IMPORT") }?.code == 42205)
        // An empty subject may switch.
        #expect(try await registry.setMode(subject: "empty", modeName: "IMPORT") == .import)
        #expect(try await registry.setMode(subject: "s", modeName: "IMPORT", force: true) == .import)
        #expect(try await registry.mode(subject: "s") == .import)
        // Soft-deleted versions do not count, and switching removes them for good.
        let other = makeRegistry()
        try await other.add("s", avro(Fixtures.userV1))
        try await other.add("t", avro(Fixtures.userV2))
        _ = try await other.deleteSubject(subject: "s")
        _ = try await other.deleteSubject(subject: "t")
        #expect(try await other.setMode(subject: "s", modeName: "IMPORT") == .import)
        #expect(try await other.subjects(filter: .all) == ["t"])
        #expect(await registryError { try await other.schema(id: 1) }?.code == 40403)
        #expect(try await other.setMode(subject: nil, modeName: "IMPORT") == .import)
        #expect(try await other.subjects(filter: .all) == [])
        // Already in IMPORT: no check.
        try await other.add("u", avro(Fixtures.address, id: 3, version: 1))
        #expect(try await other.setMode(subject: nil, modeName: "IMPORT") == .import)
        #expect(try await other.versions(subject: "u") == [1])
    }

    @Test func importSwitchIsRefusedWhileASoftDeletedVersionIsReferenced() async throws {
        let registry = makeRegistry()
        try await registry.add("address", avro(Fixtures.address))
        let reference = SchemaReference(name: "com.acme.Address", subject: "address", version: 1)
        try await registry.add("customer", avro(Fixtures.customer, references: [reference]))
        _ = try await registry.deleteSubject(subject: "customer")
        _ = try await registry.deleteSubject(subject: "address")
        #expect(await registryError { try await registry.setMode(subject: "address", modeName: "IMPORT") }?.code == 42206)
        #expect(await registryError { try await registry.mode(subject: "address") }?.code == 40409)
        #expect(try await registry.setMode(subject: "customer", modeName: "IMPORT") == .import)
        #expect(try await registry.setMode(subject: "address", modeName: "IMPORT") == .import)
    }

    @Test func importRegistersWithExplicitIdAndVersion() async throws {
        let registry = makeRegistry()
        _ = try await registry.setMode(subject: nil, modeName: "IMPORT")
        let imported = try await registry.register(subject: "s", request: avro(Fixtures.userV1, id: 100, version: 5))
        #expect(imported.id == 100)
        #expect(imported.version == 5)
        // No compatibility check in IMPORT mode.
        let second = try await registry.register(subject: "s", request: avro(Fixtures.userWithAge, id: 7, version: 9))
        #expect((second.id, second.version) == (7, 9))
        #expect(try await registry.versions(subject: "s") == [5, 9])
        #expect(try await registry.schema(id: 100).content.schema == Fixtures.userV1)
        #expect(try await registry.maxSchemaID() == 100)
        // Without an id, IMPORT refuses.
        #expect(await registryError { try await registry.add("s", avro(Fixtures.userV2)) }?.code == 42205)
        // An id already holding other content is refused.
        let taken = await registryError {
            try await registry.register(subject: "t", request: avro(Fixtures.userV2, id: 100, version: 1))
        }
        #expect(taken?.code == 42205)
        #expect(taken?.message == "Overwrite new schema with id 100 in context . is not permitted.")
        // The same content under the same id again in its own subject is answered as it is.
        let same = try await registry.register(subject: "s", request: avro(Fixtures.userV1, id: 100, version: 5))
        #expect((same.id, same.version) == (100, 5))
        // The same content with its own id in another subject shares it.
        let shared = try await registry.register(subject: "t", request: avro(Fixtures.userV1, id: 100, version: 3))
        #expect((shared.id, shared.version) == (100, 3))
        // Back in READWRITE, new ids continue after the largest imported one, versions after the largest.
        _ = try await registry.setMode(subject: nil, modeName: "READWRITE")
        let next = try await registry.add("s", avro(Fixtures.userV2WithAge))
        #expect(next == (101, 10))
    }

    @Test func explicitVersionOutsideImportMustBeTheNextOne() async throws {
        let registry = makeRegistry()
        let skipped = await registryError { try await registry.add("s", avro(Fixtures.userV1, version: 3)) }
        #expect(skipped?.code == 42201)
        #expect(skipped?.message == "Version is not one more than previous version")
        #expect(try await registry.add("s", avro(Fixtures.userV1, version: 1)) == (1, 1))
        #expect(try await registry.add("s", avro(Fixtures.userV2, version: 2)) == (2, 2))
        #expect(await registryError { try await registry.add("s", avro(Fixtures.address, version: 2), force: true) }?.code == 42201)
    }

    @Test func explicitIdOutsideImportIs42205() async throws {
        let registry = makeRegistry()
        let error = try #require(await registryError {
            try await registry.register(subject: "s", request: avro(Fixtures.userV1, id: 5))
        })
        #expect(error.code == 42205)
        #expect(try await registry.subjects() == [])
        _ = try await registry.setMode(subject: "s", modeName: "READONLY")
        #expect(await registryError { try await registry.register(subject: "s", request: avro(Fixtures.userV1, id: 5)) }?.code == 42205)
    }
}
