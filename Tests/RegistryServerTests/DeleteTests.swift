import JSONSupport
import Testing

/// Soft and permanent deletes of versions and subjects, with Confluent's ordering rules.
@Suite struct DeleteTests {
    @Test func versionDeleteRules() async throws {
        try await withServer { client in
            try await client.registerID("d", Fixture.userV1)
            try await client.registerID("d", Fixture.userV2)

            // Permanent before soft: 40407.
            let early = try await client.delete("/subjects/d/versions/1?permanent=true")
            #expect(early.status == 404)
            #expect(early.errorCode == 40407)

            let soft = try await client.delete("/subjects/d/versions/1")
            #expect(soft.status == 200)
            #expect(soft.json?.int == 1)
            // Soft again: 40406.
            let again = try await client.delete("/subjects/d/versions/1")
            #expect(again.status == 404)
            #expect(again.errorCode == 40406)

            let permanent = try await client.delete("/subjects/d/versions/1?permanent=true")
            #expect(permanent.status == 200)
            #expect(permanent.json?.int == 1)
            #expect(try await client.get("/subjects/d/versions?deleted=true").ints == [2])
            #expect(try await client.get("/subjects/d/versions/1?deleted=true").errorCode == 40402)

            // latest deletes the latest live version.
            #expect(try await client.delete("/subjects/d/versions/latest").json?.int == 2)
            #expect(try await client.delete("/subjects/d/versions/abc").errorCode == 42202)
            #expect(try await client.delete("/subjects/nope/versions/1").errorCode == 40401)
            #expect(try await client.delete("/subjects/d/versions/7?permanent=true").errorCode == 40402)
        }
    }

    @Test func subjectDeleteRules() async throws {
        try await withServer { client in
            let id = try await client.registerID("sd", Fixture.userV1)
            try await client.registerID("sd", Fixture.userV2)

            let early = try await client.delete("/subjects/sd?permanent=true")
            #expect(early.status == 404)
            #expect(early.errorCode == 40405)

            let soft = try await client.delete("/subjects/sd")
            #expect(soft.status == 200)
            #expect(soft.ints == [1, 2])
            #expect(try await client.get("/subjects").strings == [])
            #expect(try await client.get("/subjects/sd/versions").errorCode == 40401)
            // The schema is still readable by id after a soft delete.
            #expect(try await client.get("/schemas/ids/\(id)").status == 200)

            let again = try await client.delete("/subjects/sd")
            #expect(again.status == 404)
            #expect(again.errorCode == 40404)

            let permanent = try await client.delete("/subjects/sd?permanent=true")
            #expect(permanent.status == 200)
            #expect(permanent.ints == [1, 2])
            #expect(try await client.get("/subjects?deleted=true").strings == [])
            #expect(try await client.delete("/subjects/sd").errorCode == 40401)
            #expect(try await client.delete("/subjects/never").errorCode == 40401)
            // Gone from every subject: the id is gone too.
            #expect(try await client.get("/schemas/ids/\(id)").errorCode == 40403)

            // A subject registered again after a permanent delete starts over at version 1.
            let fresh = try await client.register("sd", Body.schema(Fixture.userV1))
            #expect(fresh.int("version") == 1)
        }
    }

    @Test func referencedSchemasCannotBeDeleted() async throws {
        try await withServer { client in
            try await client.registerID("address", Fixture.address)
            let customer = try await client.register(
                "customer",
                Body.schema(Fixture.customer, references: [(name: "e2e.Address", subject: "address", version: 1)]))
            #expect(customer.status == 200)
            let customerID = try #require(customer.int("id"))

            #expect(try await client.get("/subjects/address/versions/1/referencedby").ints == [customerID])
            #expect(try await client.get("/subjects/address/versions/latest/referencedby").ints == [customerID])
            #expect(try await client.get("/subjects/nope/versions/1/referencedby").errorCode == 40401)

            let version = try await client.delete("/subjects/address/versions/1")
            #expect(version.status == 422)
            #expect(version.errorCode == 42206)
            let subject = try await client.delete("/subjects/address")
            #expect(subject.status == 422)
            #expect(subject.errorCode == 42206)

            // Once the referrer is soft-deleted, the soft delete goes through; permanent still refuses (42206)
            // while a soft-deleted referrer exists.
            #expect(try await client.delete("/subjects/customer").status == 200)
            #expect(try await client.get("/subjects/address/versions/1/referencedby").ints == [])
            #expect(try await client.get("/subjects/address/versions/1/referencedby?deleted=true").ints == [customerID])
            #expect(try await client.delete("/subjects/address").status == 200)
            #expect(try await client.delete("/subjects/address?permanent=true").errorCode == 42206)
            #expect(try await client.delete("/subjects/customer?permanent=true").status == 200)
            #expect(try await client.delete("/subjects/address?permanent=true").status == 200)
        }
    }

    @Test func referencesToMissingSubjectsAreRefused() async throws {
        try await withServer { client in
            let reply = try await client.register(
                "customer",
                Body.schema(Fixture.customer, references: [(name: "e2e.Address", subject: "address", version: 1)]))
            // Confluent's RestApiTest.testRegisterInvalidSchemaBadReference: 42201.
            #expect(reply.status == 422)
            #expect(reply.isErrorBody)
            #expect(reply.errorCode == 42201)
        }
    }
}
