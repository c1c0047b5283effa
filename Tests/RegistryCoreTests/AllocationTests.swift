import SchemaProviders
import Testing

@testable import RegistryCore

/// The one place ids and versions are decided; the stores write what it says.
@Suite struct AllocationTests {
    static let content = SchemaContent(schemaType: .avro, schema: #""string""#)
    static let stored = StoredSchema(id: 4, guid: content.guid, content: content)

    func state(_ versions: [(Int, Int, Bool)] = [], same: StoredSchema? = nil, highest: Int = 9) -> RegistrationState {
        RegistrationState(
            versions: versions.map { SubjectVersion(subject: "s", version: $0.0, schemaID: $0.1, deleted: $0.2) },
            sameContent: same, highestSchemaID: highest)
    }

    @Test func aFreshIdIsOneAboveEveryIdEverAllocatedAndAVersionOneAboveEveryVersion() throws {
        // Version 3 is soft-deleted: its number is not given again.
        let decision = try Allocation.create(subject: "s", in: state([(1, 1, false), (3, 2, true)], highest: 9))
        #expect(decision == .create(id: 10, version: 4))
        #expect(try Allocation.create(subject: "s", in: state(highest: 0)) == .create(id: 1, version: 1))
    }

    @Test func contentTheRegistryHoldsKeepsItsId() throws {
        #expect(try Allocation.create(subject: "s", in: state(same: Self.stored)) == .create(id: 4, version: 1))
        #expect(try Allocation.create(subject: "s", in: state(same: Self.stored), requestedID: 4) == .create(id: 4, version: 1))
        let conflict = #expect(throws: RegistryError.self) {
            try Allocation.create(subject: "s", in: state(same: Self.stored), requestedID: 5)
        }
        #expect(conflict?.code == 42207)
        #expect(conflict?.message == "Error while registering: schema already registered with id 4 instead of input id 5")
    }

    @Test func importedIdsAndVersionsMustBeFree() throws {
        #expect(
            try Allocation.create(subject: "s", in: state([(1, 1, false)]), requestedID: 42, requestedVersion: 7)
                == .create(id: 42, version: 7))
        let idTaken = #expect(throws: RegistryError.self) {
            try Allocation.create(subject: "s", in: state(), requestedID: 4, holderOfRequestedID: Self.stored)
        }
        #expect(idTaken?.code == 42205)
        #expect(idTaken?.message == "Overwrite new schema with id 4 in context . is not permitted.")
        let versionTaken = #expect(throws: RegistryError.self) {
            try Allocation.create(subject: "s", in: state([(2, 1, true)]), requestedVersion: 2)
        }
        #expect(versionTaken?.code == 42205)
        #expect(versionTaken?.message == "Version 2 already exists in subject s; cannot overwrite it")
    }

    @Test func nothingIsAllocatedPastTheLargestInt32() throws {
        let ids = #expect(throws: RegistryError.self) { try Allocation.create(subject: "s", in: state(highest: Int(Int32.max))) }
        #expect(ids?.code == 42205)
        let versions = #expect(throws: RegistryError.self) {
            try Allocation.create(subject: "s", in: state([(Int(Int32.max), 1, false)]))
        }
        #expect(versions?.code == 42205)
    }

    @Test func aDecisionHoldsOnlyWhileItsStateDoes() {
        let before = state([(1, 1, false)], highest: 9)
        let fresh = RegistrationDecision.create(id: 10, version: 2)
        #expect(before.permits(fresh, now: before))
        // Another writer took id 10 meanwhile: the fresh id is no longer free.
        #expect(!before.permits(fresh, now: state([(1, 1, false)], highest: 10)))
        // Another subject's registration does not matter to a reused id.
        let reused = state([(1, 1, false)], same: Self.stored, highest: 9)
        #expect(reused.permits(.create(id: 4, version: 2), now: state([(1, 1, false)], same: Self.stored, highest: 12)))
        // The subject moved.
        #expect(!before.permits(fresh, now: state([(1, 1, false), (2, 3, false)], highest: 9)))
    }
}
