import JSONSupport
import ProtobufCompatibility
import SchemaCompatibility
import Testing

@testable import RegistryCore

@Suite struct CompatibilityTests {
    @Test func backwardRejectsAFieldWithoutDefault() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        let error = try #require(await registryError { try await registry.add("s", avro(Fixtures.userWithAge)) })
        #expect(error.code == 409)
        #expect(error.message.hasPrefix(#"Schema being registered is incompatible with an earlier schema for subject "s", details: ["#))
        #expect(error.message.contains("errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'"))
        #expect(error.message.contains("{oldSchemaVersion: 1}"))
        #expect(error.message.contains("{validateFields: 'false', compatibility: 'BACKWARD'}"))
        // Nothing was written.
        #expect(try await registry.versions(subject: "s") == [1])
        #expect(try await registry.maxSchemaID() == 1)
        // A field with a default is fine.
        #expect(try await registry.add("s", avro(Fixtures.userV2)) == (2, 2))
    }

    @Test func backwardChecksOnlyTheLatestVersion() async throws {
        let registry = makeRegistry()
        try await registry.setLevel("NONE", subject: "s")
        try await registry.add("s", avro(Fixtures.userV1))  // v1: name
        try await registry.add("s", avro(Fixtures.userWithAge))  // v2: name, age
        try await registry.setLevel("BACKWARD", subject: "s")
        // Needs `age` without default: readable from v2's data, not from v1's; BACKWARD looks at v2 only.
        #expect(try await registry.add("s", avro(Fixtures.userV2WithAge)) == (3, 3))
    }

    @Test func backwardTransitiveChecksEveryLiveVersion() async throws {
        let registry = makeRegistry()
        try await registry.setLevel("NONE", subject: "s")
        try await registry.add("s", avro(Fixtures.userV1))  // v1: name
        try await registry.add("s", avro(Fixtures.userWithAge))  // v2: name, age
        // New schema: name, age (no default), email (default). BACKWARD vs v2 is fine, vs v1 it is not.
        try await registry.setLevel("BACKWARD", subject: "s")
        let report = try await registry.checkCompatibility(subject: "s", version: nil, request: avro(Fixtures.userV2WithAge))
        #expect(report.isCompatible)
        try await registry.setLevel("BACKWARD_TRANSITIVE", subject: "s")
        let transitive = try await registry.checkCompatibility(
            subject: "s", version: nil, request: avro(Fixtures.userV2WithAge), verbose: true)
        #expect(!transitive.isCompatible)
        #expect(transitive.incompatibilities.map(\.version) == [1])
        #expect(transitive.incompatibilities.map(\.kind) == ["READER_FIELD_MISSING_DEFAULT_VALUE"])
        let error = await registryError { try await registry.add("s", avro(Fixtures.userV2WithAge)) }
        #expect(error?.code == 409)
        #expect(error?.message.contains("{oldSchemaVersion: 1}") == true)
        #expect(error?.message.contains("BACKWARD_TRANSITIVE") == true)
    }

    @Test func softDeletedVersionsAreNotChecked() async throws {
        let registry = makeRegistry()
        try await registry.setLevel("NONE", subject: "s")
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.add("s", avro(Fixtures.userWithAge))
        try await registry.setLevel("BACKWARD_TRANSITIVE", subject: "s")
        #expect(await registryError { try await registry.add("s", avro(Fixtures.userV2WithAge)) }?.code == 409)
        _ = try await registry.deleteVersion(subject: "s", .number(1))
        #expect(try await registry.add("s", avro(Fixtures.userV2WithAge)) == (3, 3))
    }

    @Test func noneAllowsAnything() async throws {
        let registry = makeRegistry()
        try await registry.setLevel("NONE")
        try await registry.add("s", avro(Fixtures.userV1))
        #expect(try await registry.add("s", avro(#""string""#)) == (2, 2))
        #expect(try await registry.add("s", proto(Fixtures.orderProto)) == (3, 3))
    }

    @Test func forwardAndFullLevels() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        // Adding a field without default: old readers (v1) can read new data, so FORWARD accepts it.
        try await registry.setLevel("FORWARD", subject: "s")
        let forward = try await registry.checkCompatibility(subject: "s", version: nil, request: avro(Fixtures.userWithAge))
        #expect(forward.isCompatible)
        // FULL needs both directions.
        try await registry.setLevel("FULL", subject: "s")
        let full = try await registry.checkCompatibility(subject: "s", version: nil, request: avro(Fixtures.userWithAge))
        #expect(!full.isCompatible)
        #expect(full.incompatibilities.map(\.direction) == [.backward])
        let fullOK = try await registry.checkCompatibility(subject: "s", version: nil, request: avro(Fixtures.userV2))
        #expect(fullOK.isCompatible)
        // FORWARD rejects dropping a field the old reader needs without a default.
        try await registry.add("s", avro(Fixtures.userWithAge), force: true)
        try await registry.setLevel("FORWARD", subject: "s")
        let dropAge = try await registry.checkCompatibility(subject: "s", version: nil, request: avro(Fixtures.userV1))
        #expect(!dropAge.isCompatible)
        #expect(dropAge.incompatibilities.first?.direction == .forward)
    }

    @Test func forwardTransitiveAndFullTransitiveCheckAllVersions() async throws {
        let registry = makeRegistry()
        try await registry.setLevel("NONE", subject: "s")
        try await registry.add("s", avro(Fixtures.userWithAge))  // v1 needs age
        try await registry.add("s", avro(Fixtures.userV2WithAge))  // v2 needs age
        // Dropping age breaks v1 and v2 readers (FORWARD).
        try await registry.setLevel("FORWARD_TRANSITIVE", subject: "s")
        let report = try await registry.checkCompatibility(subject: "s", version: nil, request: avro(Fixtures.userV2))
        #expect(!report.isCompatible)
        #expect(Set(report.incompatibilities.compactMap(\.version)) == [1, 2])
        try await registry.setLevel("FULL_TRANSITIVE", subject: "s")
        let full = try await registry.checkCompatibility(subject: "s", version: nil, request: avro(Fixtures.userV2))
        #expect(!full.isCompatible)
        #expect(Set(full.incompatibilities.compactMap(\.version)) == [1, 2])
    }

    @Test func differentSchemaTypeIsIncompatible() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        let error = await registryError { try await registry.add("s", proto(Fixtures.orderProto)) }
        #expect(error?.code == 409)
        let report = try await registry.checkCompatibility(
            subject: "s", version: nil, request: proto(Fixtures.orderProto), verbose: true)
        #expect(!report.isCompatible)
        #expect(report.incompatibilities.first?.kind == "SCHEMA_TYPE_CHANGED")
    }

    @Test func forceSkipsTheCheck() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        #expect(await registryError { try await registry.add("s", avro(Fixtures.userWithAge)) }?.code == 409)
        #expect(try await registry.add("s", avro(Fixtures.userWithAge), force: true) == (2, 2))
    }

    // MARK: The check endpoints

    @Test func checkAgainstOneVersion() async throws {
        let registry = makeRegistry()
        try await registry.setLevel("NONE", subject: "s")
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.add("s", avro(Fixtures.userWithAge))
        try await registry.setLevel("BACKWARD", subject: "s")
        // userV2WithAge against version 2 (has age): compatible; against version 1: not.
        let v2 = try await registry.checkCompatibility(subject: "s", version: .number(2), request: avro(Fixtures.userV2WithAge))
        #expect(v2.isCompatible)
        #expect(v2.messages == [])
        let v1 = try await registry.checkCompatibility(
            subject: "s", version: .number(1), request: avro(Fixtures.userV2WithAge), verbose: true)
        #expect(!v1.isCompatible)
        #expect(v1.incompatibilities.count == 1)
        let finding = try #require(v1.incompatibilities.first)
        #expect(finding.kind == "READER_FIELD_MISSING_DEFAULT_VALUE")
        #expect(finding.version == 1)
        #expect(finding.path == "/fields/2")
        #expect(finding.message.contains("age"))
        #expect(v1.messages.first?.hasPrefix("{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'") == true)
        #expect(v1.messages.contains("{oldSchemaVersion: 1}"))
        #expect(v1.messages.contains("{oldSchema: '\(Fixtures.userV1)'}"))
        #expect(v1.messages.last == "{validateFields: 'false', compatibility: 'BACKWARD'}")
        // `latest` is version 2 here.
        let latest = try await registry.checkCompatibility(subject: "s", version: .latest, request: avro(Fixtures.userV2WithAge))
        #expect(latest.isCompatible)
    }

    @Test func checkOneVersionIgnoresTransitivity() async throws {
        let registry = makeRegistry()
        try await registry.setLevel("NONE", subject: "s")
        try await registry.add("s", avro(Fixtures.userV1))
        try await registry.add("s", avro(Fixtures.userWithAge))
        try await registry.setLevel("BACKWARD_TRANSITIVE", subject: "s")
        let latest = try await registry.checkCompatibility(subject: "s", version: .latest, request: avro(Fixtures.userV2WithAge))
        #expect(latest.isCompatible)
        let all = try await registry.checkCompatibility(subject: "s", version: nil, request: avro(Fixtures.userV2WithAge))
        #expect(!all.isCompatible)
    }

    @Test func checkAgainstMissingVersionsAndSubjects() async throws {
        let registry = makeRegistry()
        // No subject: `latest` and "all" are compatible; a number is 40402.
        let latest = try await registry.checkCompatibility(subject: "none", version: .latest, request: avro(Fixtures.userV1))
        #expect(latest.isCompatible)
        let all = try await registry.checkCompatibility(subject: "none", version: nil, request: avro(Fixtures.userV1))
        #expect(all.isCompatible)
        let numbered = await registryError {
            try await registry.checkCompatibility(subject: "none", version: .number(1), request: avro(Fixtures.userV1))
        }
        #expect(numbered?.code == 40402)
        try await registry.add("s", avro(Fixtures.userV1))
        let missing = await registryError {
            try await registry.checkCompatibility(subject: "s", version: .number(2), request: avro(Fixtures.userV1))
        }
        #expect(missing?.code == 40402)
        // A soft-deleted version is not checked against: 40402.
        try await registry.add("s", avro(Fixtures.userV2))
        _ = try await registry.deleteVersion(subject: "s", .number(1))
        let deleted = await registryError {
            try await registry.checkCompatibility(subject: "s", version: .number(1), request: avro(Fixtures.userV1))
        }
        #expect(deleted?.code == 40402)
    }

    @Test func checkWithAnInvalidSchema() async throws {
        let registry = makeRegistry()
        try await registry.add("s", avro(Fixtures.userV1))
        let error = await registryError {
            try await registry.checkCompatibility(subject: "s", version: .latest, request: avro("{bad"))
        }
        #expect(error?.code == 42201)
        let verbose = try await registry.checkCompatibility(subject: "s", version: .latest, request: avro("{bad"), verbose: true)
        #expect(!verbose.isCompatible)
        #expect(verbose.messages.count == 1)
        #expect(verbose.messages.first?.hasPrefix("Invalid schema") == true)
    }

    @Test func protobufCompatibilityUnderConfluentRules() async throws {
        let registry = makeRegistry()
        try await registry.add("p", proto(Fixtures.orderProto))
        let error = try #require(await registryError { try await registry.add("p", proto(Fixtures.orderProtoAmountString)) })
        #expect(error.code == 409)
        #expect(error.message.contains("FIELD_SCALAR_KIND_CHANGED"))
        // Removing a field is compatible under Confluent's rules.
        #expect(try await registry.add("p", proto(Fixtures.orderProtoWithoutAmount)) == (2, 2))
    }

    @Test func protobufRulesPerSubjectViaConfig() async throws {
        let registry = makeRegistry()
        try await registry.add("confluent", proto(Fixtures.orderProto))
        try await registry.add("buf", proto(Fixtures.orderProto))
        try await registry.setConfig(subject: "buf", update: ConfigUpdate(protobufRules: .set(.wire)))
        #expect(try await registry.config(subject: "buf").protobufRules == .wire)
        let confluent = try await registry.checkCompatibility(
            subject: "confluent", version: nil, request: proto(Fixtures.orderProtoWithoutAmount))
        #expect(confluent.isCompatible)
        let wire = try await registry.checkCompatibility(
            subject: "buf", version: nil, request: proto(Fixtures.orderProtoWithoutAmount), verbose: true)
        #expect(!wire.isCompatible)
        #expect(wire.incompatibilities.first?.kind == "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED")
        #expect(wire.incompatibilities.first?.version == 1)
        #expect(await registryError { try await registry.add("buf", proto(Fixtures.orderProtoWithoutAmount)) }?.code == 409)
    }

    @Test func compatibilityGroupComparesOnlyTheSameGroup() async throws {
        let registry = makeRegistry()
        try await registry.setConfig(subject: "s", update: ConfigUpdate(compatibilityGroup: .set("major")))
        try await registry.add("s", avro(Fixtures.userV1, metadata: #"{"properties":{"major":"1"}}"#))
        let nextMajor = try await registry.add("s", avro(Fixtures.userWithAge, metadata: #"{"properties":{"major":"2"}}"#))
        #expect(nextMajor.version == 2)
        let sameMajor = await registryError {
            try await registry.add("s", avro(Fixtures.address, metadata: #"{"properties":{"major":"2"}}"#))
        }
        #expect(sameMajor?.code == 409)
    }
}
