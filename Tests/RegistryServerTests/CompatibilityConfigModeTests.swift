import JSONSupport
import Testing

/// POST /compatibility/…, /config, /config/{s}, /mode, /mode/{s}.
@Suite struct CompatibilityConfigModeTests {
    @Test func compatibilityAgainstOneVersionAndTheLevelsVersions() async throws {
        try await withServer { client in
            // Confluent's testIncompatibleSchemaBySubject: f1+f2, then f1; f1+f3 fits the latest only.
            let s1 = #"{"type":"record","name":"r","fields":[{"name":"f1","type":"string"},{"name":"f2","type":"string"}]}"#
            let s2 = #"{"type":"record","name":"r","fields":[{"name":"f1","type":"string"}]}"#
            let s3 = #"{"type":"record","name":"r","fields":[{"name":"f1","type":"string"},{"name":"f3","type":"string"}]}"#
            try await client.registerID("c", s1)
            try await client.registerID("c", s2)
            #expect(try await client.put("/config/c", Body.object(["compatibility": "FORWARD_TRANSITIVE"])).status == 200)

            let latest = try await client.post("/compatibility/subjects/c/versions/latest", Body.schema(s3))
            #expect(latest.status == 200)
            #expect(latest.bool("is_compatible") == true)
            #expect(latest.object?["messages"] == nil || latest.object?["messages"]?.arrayValue?.isEmpty == true)
            #expect(try await client.post("/compatibility/subjects/c/versions/2", Body.schema(s3)).bool("is_compatible") == true)
            #expect(try await client.post("/compatibility/subjects/c/versions/1", Body.schema(s3)).bool("is_compatible") == false)

            // All versions under a transitive level: not compatible; verbose says why, as text and as data.
            let all = try await client.post("/compatibility/subjects/c/versions", Body.schema(s3))
            #expect(all.status == 200)
            #expect(all.bool("is_compatible") == false)
            let verbose = try await client.post("/compatibility/subjects/c/versions?verbose=true", Body.schema(s3))
            #expect(verbose.bool("is_compatible") == false)
            let messageValues = try #require(verbose.object?["messages"]?.arrayValue)
            let messages = messageValues.compactMap(\.stringValue)
            #expect(!messages.isEmpty)
            #expect(messages.contains { $0.contains("oldSchemaVersion") })
            #expect(messages.last?.contains("compatibility: 'FORWARD_TRANSITIVE'") == true)
            let found = try #require(verbose.object?["incompatibilities"]?.arrayValue)
            #expect(!found.isEmpty)
            #expect(found.allSatisfy { $0["kind"]?.stringValue != nil && $0["version"]?.int == 1 })

            // Missing subject: compatible; missing version of an existing subject: 40402; bad version: 42202.
            #expect(try await client.post("/compatibility/subjects/none/versions/latest", Body.schema(s3)).bool("is_compatible") == true)
            #expect(try await client.post("/compatibility/subjects/none/versions", Body.schema(s3)).bool("is_compatible") == true)
            let missing = try await client.post("/compatibility/subjects/c/versions/100", Body.schema(s3))
            #expect(missing.status == 404)
            #expect(missing.errorCode == 40402)
            let invalid = try await client.post("/compatibility/subjects/c/versions/earliest", Body.schema(s3))
            #expect(invalid.status == 422)
            #expect(invalid.errorCode == 42202)
            // An invalid schema: 42201, or with verbose a report saying so.
            let bad = try await client.post("/compatibility/subjects/c/versions/latest", Body.schema("{"))
            #expect(bad.errorCode == 42201)
            let badVerbose = try await client.post("/compatibility/subjects/c/versions/latest?verbose=true", Body.schema("{"))
            #expect(badVerbose.status == 200 || badVerbose.errorCode == 42201)
        }
    }

    @Test func normalizeOnCompatibility() async throws {
        try await withServer { client in
            try await client.registerID("cn", Fixture.userV1)
            let reply = try await client.post(
                "/compatibility/subjects/cn/versions/latest?normalize=true&verbose=True", Body.schema(Fixture.userV1Spaced))
            #expect(reply.status == 200)
            #expect(reply.bool("is_compatible") == true)
        }
    }

    @Test func globalAndSubjectConfig() async throws {
        try await withServer { client in
            let global = try await client.get("/config")
            #expect(global.status == 200)
            #expect(global.string("compatibilityLevel") == "BACKWARD")

            // No subject config: 40408, unless defaultToGlobal.
            let none = try await client.get("/config/s")
            #expect(none.status == 404)
            #expect(none.errorCode == 40408)
            #expect(try await client.get("/config/s?defaultToGlobal=true").string("compatibilityLevel") == "BACKWARD")

            // PUT takes `compatibility` and echoes it; GET answers `compatibilityLevel`.
            let put = try await client.put("/config/s", Body.object(["compatibility": "FULL"]))
            #expect(put.status == 200)
            #expect(put.string("compatibility") == "FULL")
            #expect(try await client.get("/config/s").string("compatibilityLevel") == "FULL")
            // Lower case is accepted too.
            #expect(try await client.put("/config/s", Body.object(["compatibility": "none"])).status == 200)
            #expect(try await client.get("/config/s").string("compatibilityLevel") == "NONE")

            let invalid = try await client.put("/config/s", Body.object(["compatibility": "SIDEWAYS"]))
            #expect(invalid.status == 422)
            #expect(invalid.errorCode == 42203)
            let invalidGlobal = try await client.put("/config", Body.object(["compatibility": 7]))
            #expect(invalidGlobal.status == 422)
            #expect(invalidGlobal.errorCode == 42203)

            // compatibilityPolicy (JSON Schema): STRICT or LENIENT in any letter case, kept beside the level.
            #expect(try await client.put("/config/s", Body.object(["compatibilityPolicy": "lenient"])).status == 200)
            let withPolicy = try await client.get("/config/s")
            #expect(withPolicy.string("compatibilityPolicy") == "LENIENT")
            #expect(withPolicy.string("compatibilityLevel") == "NONE")
            let badPolicy = try await client.put("/config/s", Body.object(["compatibilityPolicy": "LOOSE"]))
            #expect(badPolicy.status == 422)
            #expect(badPolicy.string("message") == "Invalid compatibilityPolicy. Valid values are STRICT and LENIENT")

            // Global PUT and DELETE.
            #expect(try await client.put("/config", Body.object(["compatibility": "FORWARD"])).string("compatibility") == "FORWARD")
            #expect(try await client.get("/config").string("compatibilityLevel") == "FORWARD")
            #expect(try await client.get("/config/other?defaultToGlobal=true").string("compatibilityLevel") == "FORWARD")

            let deleted = try await client.delete("/config/s")
            #expect(deleted.status == 200)
            #expect(deleted.string("compatibilityLevel") == "NONE")
            #expect(try await client.get("/config/s").errorCode == 40408)
            // Confluent's ConfigResource.deleteSubjectConfig: no subject config is subjectNotFound (40401).
            #expect(try await client.delete("/config/s").errorCode == 40401)

            let globalDeleted = try await client.delete("/config")
            #expect(globalDeleted.status == 200)
            #expect(globalDeleted.string("compatibilityLevel") == "FORWARD")
            #expect(try await client.get("/config").string("compatibilityLevel") == "BACKWARD")
        }
    }

    @Test func subjectConfigDecidesRegistration() async throws {
        try await withServer { client in
            try await client.registerID("cfg", Fixture.userV1)
            #expect(try await client.register("cfg", Body.schema(Fixture.userBad)).status == 409)
            #expect(try await client.put("/config/cfg", Body.object(["compatibility": "NONE"])).status == 200)
            #expect(try await client.register("cfg", Body.schema(Fixture.userBad)).status == 200)
            // normalize in the config applies to registration.
            #expect(try await client.put("/config/norm", Body.object(["normalize": true])).status == 200)
            #expect(try await client.get("/config/norm").bool("normalize") == true)
            let first = try await client.register("norm", Body.schema(Fixture.userV1))
            let second = try await client.register("norm", Body.schema(Fixture.userV1Spaced))
            #expect(second.int("version") == first.int("version"))
        }
    }

    @Test func modes() async throws {
        try await withServer { client in
            let global = try await client.get("/mode")
            #expect(global.status == 200)
            #expect(global.string("mode") == "READWRITE")
            let none = try await client.get("/mode/m")
            #expect(none.status == 404)
            #expect(none.errorCode == 40409)
            #expect(try await client.get("/mode/m?defaultToGlobal=true").string("mode") == "READWRITE")

            let invalid = try await client.put("/mode", Body.object(["mode": "SOMETIMES"]))
            #expect(invalid.status == 422)
            #expect(invalid.errorCode == 42204)
            #expect(try await client.put("/mode/m", Body.object(["mode": 1])).errorCode == 42204)

            // READONLY blocks writes in its subject only.
            try await client.registerID("m", Fixture.userV1)
            let readOnly = try await client.put("/mode/m", Body.object(["mode": "READONLY"]))
            #expect(readOnly.status == 200)
            #expect(readOnly.string("mode") == "READONLY")
            #expect(try await client.get("/mode/m").string("mode") == "READONLY")
            let blocked = try await client.register("m", Body.schema(Fixture.userV2))
            #expect(blocked.status == 422)
            #expect(blocked.errorCode == 42205)
            #expect(try await client.delete("/subjects/m/versions/1").errorCode == 42205)
            #expect(try await client.delete("/subjects/m").errorCode == 42205)
            // Reads still work.
            #expect(try await client.get("/subjects/m/versions/1").status == 200)
            #expect(try await client.post("/subjects/m", Body.schema(Fixture.userV1)).status == 200)
            #expect(try await client.register("other", Body.schema(Fixture.userV2)).status == 200)

            let removed = try await client.delete("/mode/m")
            #expect(removed.status == 200)
            #expect(removed.string("mode") == "READONLY")
            // Confluent's ModeResource.deleteSubjectMode: no subject mode is subjectNotFound (40401).
            #expect(try await client.delete("/mode/m").errorCode == 40401)
            #expect(try await client.register("m", Body.schema(Fixture.userV2)).status == 200)

            // Global READONLY blocks every subject.
            #expect(try await client.put("/mode", Body.object(["mode": "READONLY"])).status == 200)
            #expect(try await client.register("fresh", Body.schema(Fixture.userV1)).errorCode == 42205)
            #expect(try await client.delete("/mode").string("mode") == "READONLY")
            #expect(try await client.get("/mode").string("mode") == "READWRITE")

            // IMPORT needs an empty scope unless force.
            let notEmpty = try await client.put("/mode", Body.object(["mode": "IMPORT"]))
            #expect(notEmpty.status == 422)
            #expect(notEmpty.errorCode == 42205)
            #expect(try await client.put("/mode/m", Body.object(["mode": "IMPORT"])).errorCode == 42205)
            let forced = try await client.put("/mode/m?force=true", Body.object(["mode": "IMPORT"]))
            #expect(forced.status == 200)
            #expect(forced.string("mode") == "IMPORT")
            #expect(try await client.put("/mode/empty", Body.object(["mode": "IMPORT"])).string("mode") == "IMPORT")
        }
    }
}
