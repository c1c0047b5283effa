import Foundation
import JSONSupport
import Testing

/// POST /subjects/{s}/versions, POST /subjects/{s} (lookup) and the version reads.
@Suite struct RegistrationTests {
    @Test func registerAnswersIDVersionGUIDAndSchemaType() async throws {
        try await withServer { client in
            let first = try await client.register("users-value", Body.schema(Fixture.userV1))
            #expect(first.status == 200)
            #expect(first.contentType == "application/vnd.schemaregistry.v1+json")
            let id = try #require(first.int("id"))
            #expect(first.int("version") == 1)
            #expect(first.string("schemaType") == "AVRO")
            let guid = try #require(first.string("guid"))
            #expect(guid.count == 36 && guid.split(separator: "-").count == 5)

            // The same content again: the same version, no new one.
            let again = try await client.register("users-value", Body.schema(Fixture.userV1))
            #expect(again.status == 200)
            #expect(again.int("id") == id)
            #expect(again.int("version") == 1)
            #expect(again.string("guid") == guid)

            // Identical content under another subject reuses the id, version 1 there.
            let other = try await client.register("other-value", Body.schema(Fixture.userV1))
            #expect(other.int("id") == id)
            #expect(other.int("version") == 1)

            let second = try await client.register("users-value", Body.schema(Fixture.userV2))
            #expect(second.status == 200)
            #expect(second.int("version") == 2)
            #expect(second.int("id") != id)

            // GET the version back: Confluent's Schema entity.
            let read = try await client.get("/subjects/users-value/versions/1")
            #expect(read.status == 200)
            #expect(read.string("subject") == "users-value")
            #expect(read.int("version") == 1)
            #expect(read.int("id") == id)
            #expect(read.string("guid") == guid)
            #expect(read.string("schema") == Fixture.userV1)
            #expect(read.object?["schemaType"] == nil)  // AVRO is left out, as Confluent does

            // The GUID route answers the same schema.
            let byGUID = try await client.get("/schemas/guids/\(guid)")
            #expect(byGUID.status == 200)
            #expect(byGUID.string("schema") == Fixture.userV1)
            #expect(try await client.get("/schemas/guids/00000000-0000-0000-0000-000000000000").errorCode == 40403)
        }
    }

    @Test func incompatibleRegistrationIs409AndForceSkipsTheCheck() async throws {
        try await withServer { client in
            try await client.registerID("s", Fixture.userV1)
            let refused = try await client.register("s", Body.schema(Fixture.userBad))
            #expect(refused.status == 409)
            #expect(refused.errorCode == 409 || refused.errorCode == 40901)
            #expect(refused.isErrorBody)
            #expect(refused.message?.contains("incompatible") == true || refused.message?.contains("Incompatible") == true)

            // force=True (any letter case) registers without the check.
            let forced = try await client.register("s", Body.schema(Fixture.userBad), query: "?force=True")
            #expect(forced.status == 200)
            #expect(forced.int("version") == 2)

            // force=false is the default behaviour.
            let refusedAgain = try await client.register("s", Body.schema(Fixture.userV1Spaced), query: "?force=false")
            #expect(refusedAgain.status == 200 || refusedAgain.status == 409)
        }
    }

    @Test func invalidSchemasAre42201() async throws {
        try await withServer { client in
            let notJSON = try await client.register("s", Body.schema("{not avro"))
            #expect(notJSON.status == 422)
            #expect(notJSON.errorCode == 42201)
            let badAvro = try await client.register("s", Body.schema(#"{"type":"record","name":"X"}"#))
            #expect(badAvro.errorCode == 42201)
            let badProto = try await client.register("s", Body.schema("message {", type: "PROTOBUF"))
            #expect(badProto.errorCode == 42201)
            let unknownType = try await client.register("s", Body.schema("{}", type: "XML"))
            #expect(unknownType.status == 422)
            #expect(unknownType.errorCode == 42201)
            // Nothing was registered.
            #expect(try await client.get("/subjects").strings == [])
        }
    }

    @Test func normalizeOnRegisterAndLookup() async throws {
        try await withServer { client in
            let plain = try await client.register("n", Body.schema(Fixture.userV1))
            let id = try #require(plain.int("id"))
            // Whitespace is not part of a schema: Confluent stores the parsed schema's canonical string.
            let spaced = try await client.register("n", Body.schema(Fixture.userV1Spaced))
            #expect(spaced.int("version") == 1)
            #expect(spaced.int("id") == id)
            let lookupSpaced = try await client.post("/subjects/n?normalize=False", Body.schema(Fixture.userV1Spaced))
            #expect(lookupSpaced.status == 200)
            #expect(lookupSpaced.int("id") == id)

            // A schema registered with normalize=true is found again by a lookup with normalize=TRUE, and
            // registering it again with normalize answers the same version.
            let normalized = try await client.register("m", Body.schema(Fixture.userV1Spaced), query: "?normalize=true")
            #expect(normalized.status == 200)
            let normalizedID = try #require(normalized.int("id"))
            let again = try await client.register("m", Body.schema(Fixture.userV1), query: "?normalize=True")
            #expect(again.int("version") == 1)
            #expect(again.int("id") == normalizedID)
            let lookupNormalized = try await client.post("/subjects/m?normalize=TRUE", Body.schema(Fixture.userV1Spaced))
            #expect(lookupNormalized.status == 200)
            #expect(lookupNormalized.int("id") == normalizedID)
            #expect(lookupNormalized.int("version") == 1)
        }
    }

    @Test func keyOrderIsNotPartOfAnAvroSchema() async throws {
        try await withServer { client in
            // Confluent finds a version whose parsed schema equals the request's (ParsedSchema.canLookup in
            // register and lookUpSchemaUnderSubject), so JSON key order makes no new version, and a lookup finds it.
            let first = #"{"type":"record","name":"K","fields":[{"name":"a","type":"int"}]}"#
            let reordered = #"{"fields":[{"type":"int","name":"a"}],"name":"K","type":"record"}"#
            let id = try await client.registerID("k", first)
            let again = try await client.register("k", Body.schema(reordered))
            #expect(again.status == 200)
            #expect(again.int("id") == id)
            #expect(again.int("version") == 1)
            let lookup = try await client.post("/subjects/k", Body.schema(reordered))
            #expect(lookup.status == 200)
            #expect(lookup.int("version") == 1)
            #expect(lookup.int("id") == id)
            // A different schema is still a new version.
            let other = try await client.register("k", Body.schema(#"{"type":"record","name":"K","fields":[]}"#), query: "?force=true")
            #expect(other.int("version") == 2)

            // A schema stored normalized is found by a plain lookup of an equivalent text too.
            let normalized = try await client.register("kn", Body.schema(Fixture.userV1Spaced), query: "?normalize=true")
            let plain = try await client.post("/subjects/kn", Body.schema(Fixture.userV1))
            #expect(plain.status == 200)
            #expect(plain.int("id") == normalized.int("id"))
        }
    }

    @Test func lookupAnswersTheVersionOr40401Or40403() async throws {
        try await withServer { client in
            let id = try await client.registerID("lk", Fixture.userV1)
            try await client.registerID("lk", Fixture.userV2)
            let found = try await client.post("/subjects/lk", Body.schema(Fixture.userV1))
            #expect(found.status == 200)
            #expect(found.string("subject") == "lk")
            #expect(found.int("version") == 1)
            #expect(found.int("id") == id)
            #expect(found.string("schema") == Fixture.userV1)

            let noSubject = try await client.post("/subjects/missing", Body.schema(Fixture.userV1))
            #expect(noSubject.status == 404)
            #expect(noSubject.errorCode == 40401)
            #expect(noSubject.isErrorBody)
            let noSchema = try await client.post("/subjects/lk", Body.schema(Fixture.record("Other")))
            #expect(noSchema.status == 404)
            #expect(noSchema.errorCode == 40403)

            // A soft-deleted version is found only with deleted=true.
            #expect(try await client.delete("/subjects/lk/versions/1").status == 200)
            #expect(try await client.post("/subjects/lk", Body.schema(Fixture.userV1)).errorCode == 40403)
            let deleted = try await client.post("/subjects/lk?deleted=true", Body.schema(Fixture.userV1))
            #expect(deleted.status == 200)
            #expect(deleted.int("version") == 1)
        }
    }

    @Test func metadataAndRuleSetAreStoredAndEchoed() async throws {
        try await withServer { client in
            let metadata = try JSONParser.parse(#"{"properties":{"owner":"team-a","major_version":"1"}}"#)
            let ruleSet = try JSONParser.parse(
                #"{"domainRules":[{"name":"checkId","kind":"CONDITION","mode":"WRITE","type":"CEL","expr":"message.id > 0"}]}"#)
            let reply = try await client.register(
                "meta", Body.schema(Fixture.userV1, extra: [("metadata", metadata), ("ruleSet", ruleSet)]))
            #expect(reply.status == 200)
            let id = try #require(reply.int("id"))
            let read = try await client.get("/subjects/meta/versions/latest")
            #expect(read.object?["metadata"] == metadata)
            #expect(read.object?["ruleSet"] == ruleSet)
            let byID = try await client.get("/schemas/ids/\(id)")
            #expect(byID.object?["metadata"] == metadata)
            #expect(byID.object?["ruleSet"] == ruleSet)
            // Metadata is part of the content: the bare schema is a different schema (a new id).
            let bare = try await client.register("meta-bare", Body.schema(Fixture.userV1))
            #expect(bare.int("id") != id)
        }
    }

    @Test func versionReadsLatestMinusOneAndBadVersions() async throws {
        try await withServer { client in
            try await client.registerID("v", Fixture.userV1)
            let id2 = try await client.registerID("v", Fixture.userV2)
            for spec in ["latest", "-1", "2"] {
                let reply = try await client.get("/subjects/v/versions/\(spec)")
                #expect(reply.status == 200, "version \(spec)")
                #expect(reply.int("version") == 2)
                #expect(reply.int("id") == id2)
            }
            for spec in ["0", "-2", "abc", "1.5", "2147483648", "LATEST"] {
                let reply = try await client.get("/subjects/v/versions/\(spec)")
                #expect(reply.status == 422, "version \(spec): \(reply)")
                #expect(reply.errorCode == 42202, "version \(spec)")
            }
            let missingVersion = try await client.get("/subjects/v/versions/3")
            #expect(missingVersion.status == 404)
            #expect(missingVersion.errorCode == 40402)
            let missingSubject = try await client.get("/subjects/nope/versions/1")
            #expect(missingSubject.status == 404)
            #expect(missingSubject.errorCode == 40401)
            #expect(try await client.get("/subjects/nope/versions/latest").errorCode == 40401)

            // The raw schema.
            let raw = try await client.get("/subjects/v/versions/1/schema")
            #expect(raw.status == 200)
            #expect(raw.text == Fixture.userV1)
            #expect(try await client.get("/subjects/v/versions/latest/schema").text == Fixture.userV2)
            #expect(try await client.get("/subjects/v/versions/9/schema").errorCode == 40402)
            #expect(try await client.get("/subjects/v/versions/x/schema").errorCode == 42202)

            // Soft-deleted versions are read only with deleted=true.
            #expect(try await client.delete("/subjects/v/versions/1").status == 200)
            #expect(try await client.get("/subjects/v/versions/1").errorCode == 40402)
            let deleted = try await client.get("/subjects/v/versions/1?deleted=true")
            #expect(deleted.status == 200)
            #expect(deleted.int("version") == 1)
        }
    }

    @Test func subjectsListFilters() async throws {
        try await withServer { client in
            for subject in ["alpha-value", "alpha-key", "beta-value", "gamma"] {
                try await client.registerID(subject, Fixture.record(subject.replacingOccurrences(of: "-", with: "_")))
            }
            #expect(try await client.delete("/subjects/gamma").ints == [1])
            let all = try await client.get("/subjects")
            #expect(all.status == 200)
            #expect(Set(all.strings ?? []) == ["alpha-value", "alpha-key", "beta-value"])
            #expect(Set(try await client.get("/subjects?deleted=true").strings ?? []) == [
                "alpha-value", "alpha-key", "beta-value", "gamma",
            ])
            #expect(try await client.get("/subjects?deletedOnly=true").strings == ["gamma"])
            #expect(try await client.get("/subjects?deleted=true&deletedOnly=true").strings == ["gamma"])
            #expect(Set(try await client.get("/subjects?subjectPrefix=alpha").strings ?? []) == ["alpha-value", "alpha-key"])
            #expect(try await client.get("/subjects?subjectPrefix=zzz").strings == [])

            let ordered = try #require(try await client.get("/subjects").strings)
            #expect(try await client.get("/subjects?limit=2").strings == Array(ordered.prefix(2)))
            #expect(try await client.get("/subjects?offset=1&limit=1").strings == [ordered[1]])
            #expect(try await client.get("/subjects?offset=1").strings == Array(ordered.dropFirst()))
            #expect(try await client.get("/subjects?limit=-1").strings == ordered)
            #expect(try await client.get("/subjects?limit=0").strings == ordered)
            #expect(try await client.get("/subjects?offset=10").strings == [])
            #expect(try await client.get("/subjects?deleted=TRUE").strings?.count == 4)
        }
    }

    @Test func versionsListFilters() async throws {
        try await withServer { client in
            try await client.registerID("vl", Fixture.userV1)
            try await client.registerID("vl", Fixture.userV2)
            _ = try await client.register("vl", Body.schema(Fixture.userBad), query: "?force=true")
            #expect(try await client.get("/subjects/vl/versions").ints == [1, 2, 3])
            #expect(try await client.delete("/subjects/vl/versions/2").text == "2")
            #expect(try await client.get("/subjects/vl/versions").ints == [1, 3])
            #expect(try await client.get("/subjects/vl/versions?deleted=true").ints == [1, 2, 3])
            #expect(try await client.get("/subjects/vl/versions?deletedOnly=true").ints == [2])
            #expect(try await client.get("/subjects/vl/versions?deletedAsNegative=true").ints == [1, -2, 3])
            #expect(try await client.get("/subjects/vl/versions?limit=1").ints == [1])
            #expect(try await client.get("/subjects/vl/versions?offset=1&limit=5").ints == [3])
            #expect(try await client.get("/subjects/vl/versions?limit=-1").ints == [1, 3])
            let missing = try await client.get("/subjects/none/versions")
            #expect(missing.status == 404)
            #expect(missing.errorCode == 40401)
            // A new version after a deleted one is never reused: 4.
            let next = try await client.register("vl", Body.schema(Fixture.record("Next")), query: "?force=true")
            #expect(next.int("version") == 4)
        }
    }

    @Test func percentEncodedSubjects() async throws {
        try await withServer { client in
            let reply = try await client.register("a%2Fb", Body.schema(Fixture.userV1))
            #expect(reply.status == 200)
            #expect(try await client.get("/subjects").strings == ["a/b"])
            let read = try await client.get("/subjects/a%2Fb/versions/1")
            #expect(read.status == 200)
            #expect(read.string("subject") == "a/b")
            // Spaces and other escapes decode too.
            #expect(try await client.register("with%20space", Body.schema(Fixture.userV1)).status == 200)
            #expect(try await client.get("/subjects/with%20space/versions").ints == [1])
            // A stray percent sign is a bad request, not a 500.
            let bad = try await client.get("/subjects/%zz/versions")
            #expect(bad.status < 500)
            #expect(bad.isErrorBody)
        }
    }

    @Test func importModeTakesExplicitIDsAndVersions() async throws {
        try await withServer { client in
            // An explicit id outside IMPORT mode is refused.
            let refused = try await client.register(
                "imp", Body.schema(Fixture.userV1, extra: [("id", .integer(100)), ("version", .integer(5))]))
            #expect(refused.status == 422)
            #expect(refused.errorCode == 42205)

            #expect(try await client.put("/mode/imp", Body.object(["mode": "IMPORT"])).string("mode") == "IMPORT")
            let imported = try await client.register(
                "imp", Body.schema(Fixture.userV1, extra: [("id", .integer(100)), ("version", .integer(5))]))
            #expect(imported.status == 200)
            #expect(imported.int("id") == 100)
            #expect(imported.int("version") == 5)
            #expect(try await client.get("/schemas/ids/100").string("schema") == Fixture.userV1)
            #expect(try await client.get("/subjects/imp/versions").ints == [5])
            // Without an id, IMPORT mode refuses.
            let noID = try await client.register("imp", Body.schema(Fixture.userV2))
            #expect(noID.errorCode == 42205)
            // Another schema under an id already taken by different content: Confluent's
            // checkIfSchemaWithIdExist answers OperationNotPermitted (42205).
            let clash = try await client.register(
                "imp", Body.schema(Fixture.userV2, extra: [("id", .integer(100)), ("version", .integer(6))]))
            #expect(clash.status == 422)
            #expect(clash.errorCode == 42205)

            // Back to READWRITE: ids continue past the imported ones.
            #expect(try await client.put("/mode/imp", Body.object(["mode": "READWRITE"])).status == 200)
            let next = try await client.register("imp", Body.schema(Fixture.userV2))
            #expect(next.status == 200)
            #expect(next.int("version") == 6)
            #expect((next.int("id") ?? 0) > 100)
        }
    }
}
