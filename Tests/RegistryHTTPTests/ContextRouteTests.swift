import HTTPTypes
import JSONSupport
import RegistryCore
import Testing

/// Named contexts over HTTP, as Confluent's RestApiContextTest exercises them: qualified subjects
/// (`:.ctx:name`), `/contexts/{ctx}/…` paths, an id sequence per context, listings across contexts, and
/// `DELETE /contexts/{ctx}`.
@Suite struct ContextRouteTests {
    /// A record whose doc is `name`: every one is a new schema, and each is compatible with the others.
    static func record(_ name: String) -> String {
        avroBody(#"{"type":"record","name":"R","doc":"\#(name)","fields":[{"name":"f","type":"string"}]}"#)
    }

    static func id(_ reply: Reply) -> Int? {
        reply.json?.objectValue?["id"]?.numberValue?.int64Value.map { Int($0) }
    }

    @Test func qualifiedSubjectsHaveAnIdSequencePerContext() async throws {
        try await InProcessRegistry().run { client async throws in
            #expect(try await client.get("/contexts").strings == ["."])
            #expect(try await client.get("/subjects/:.ctx1:topic1/versions").errorCode == 40401)
            for n in 1...3 {
                #expect(Self.id(try await client.post("/subjects/:.ctx1:topic1/versions", Self.record("A\(n)"))) == n)
            }
            // Registering again finds the same id.
            #expect(Self.id(try await client.post("/subjects/:.ctx1:topic1/versions", Self.record("A2"))) == 2)
            // Each context counts from 1.
            #expect(Self.id(try await client.post("/subjects/:.ctx2:topic2/versions", Self.record("B1"))) == 1)
            #expect(Self.id(try await client.post("/subjects/:.ctx3:topic1/versions", Self.record("C1"))) == 1)
            #expect(Self.id(try await client.post("/subjects/topic1/versions", Self.record("D1"))) == 1)
            // The same content in the default context is another schema.
            #expect(Self.id(try await client.post("/subjects/other/versions", Self.record("A3"))) == 2)

            #expect(try await client.get("/contexts").strings == [".", ".ctx1", ".ctx2", ".ctx3"])
            #expect(try await client.get("/subjects/:.ctx1:topic1/versions").body == "[1,2,3]")
            #expect(try await client.get("/subjects?subjectPrefix=:.ctx1:").strings == [":.ctx1:topic1"])
            #expect(try await client.get("/subjects?subjectPrefix=").strings == ["other", "topic1"])
            #expect(
                try await client.get("/subjects?subjectPrefix=:*:").strings == [
                    ":.ctx1:topic1", ":.ctx2:topic2", ":.ctx3:topic1", "other", "topic1",
                ])
            // No prefix: every context, as Confluent's default `:*:`.
            #expect(try await client.get("/subjects").strings?.count == 5)
            #expect(try await client.get("/schemas?subjectPrefix=:*:").json?.arrayValue?.count == 7)
            #expect(try await client.get("/schemas?subjectPrefix=:*:topic1").json?.arrayValue?.count == 5)
            // Without a prefix, /schemas lists the default context only (Confluent's default is "").
            #expect(try await client.get("/schemas").json?.arrayValue?.count == 2)

            // Ids resolve in the context of `subject`, the default context without one.
            let inCtx1 = try await client.get("/schemas/ids/1?subject=:.ctx1:topic1")
            #expect(inCtx1.json?.objectValue?["schema"]?.stringValue?.contains("A1") == true)
            let inDefault = try await client.get("/schemas/ids/1")
            #expect(inDefault.json?.objectValue?["schema"]?.stringValue?.contains("D1") == true)
            #expect(try await client.get("/schemas/ids/3").errorCode == 40403)
            #expect(try await client.get("/schemas/ids/3?subject=:.ctx1:topic1").status == 200)

            // A subject named without a context, that only a named context has, is found there.
            #expect(try await client.get("/subjects/topic2/versions/1").json?.objectValue?["subject"]?.stringValue == ":.ctx2:topic2")
            let lookup = try await client.post("/subjects/topic2", Self.record("B1"))
            #expect(lookup.json?.objectValue?["version"]?.numberValue?.int64Value == 1)
            #expect(try await client.get("/subjects/topic2/versions").errorCode == 40401)
            // An unqualified subject with the id in another context (Confluent's getSchemaKeyUsingContexts).
            let viaContext = try await client.get("/schemas/ids/1?subject=topic2")
            #expect(viaContext.json?.objectValue?["schema"]?.stringValue?.contains("B1") == true)
        }
    }

    @Test func contextPathsPutSubjectsIdsAndListingsInTheirContext() async throws {
        try await InProcessRegistry().run { client async throws in
            for n in 1...2 {
                #expect(Self.id(try await client.post("/contexts/.ctx1/subjects/topic1/versions", Self.record("A\(n)"))) == n)
            }
            for subject in ["t2a", "t2b"] {
                #expect(Self.id(try await client.post("/contexts/.ctx2/subjects/\(subject)/versions", Self.record("B1"))) == 1)
            }
            // `/contexts/:.:/…` is the default context.
            #expect(try await client.get("/contexts/:.:/schemas/ids/1").errorCode == 40403)
            #expect(Self.id(try await client.post("/contexts/:.:/subjects/topic3/versions", Self.record("C1"))) == 1)
            #expect(try await client.get("/subjects/topic3/versions").body == "[1]")
            #expect(try await client.get("/subjects/:.:topic3/versions").body == "[1]")

            #expect(try await client.get("/contexts/.ctx1/subjects").strings == [":.ctx1:topic1"])
            #expect(try await client.get("/contexts/.ctx2/subjects").strings == [":.ctx2:t2a", ":.ctx2:t2b"])
            #expect(try await client.get("/contexts/:.:/subjects").strings == ["topic3"])
            #expect(try await client.get("/contexts/.ctx1/subjects/topic1/versions").body == "[1,2]")
            #expect(try await client.get("/subjects/:.ctx1:topic1/versions/2").json?.objectValue?["id"]?.numberValue?.int64Value == 2)
            let byID = try await client.get("/contexts/.ctx2/schemas/ids/1")
            #expect(byID.json?.objectValue?["schema"]?.stringValue?.contains("B1") == true)
            #expect(try await client.get("/contexts/.ctx2/schemas/ids/1/subjects").strings == [":.ctx2:t2a", ":.ctx2:t2b"])
            #expect(
                try await client.get("/contexts/.ctx2/schemas/ids/1/versions").json
                    == .array([
                        .object(JSONObject(["subject": .string(":.ctx2:t2a"), "version": .integer(1)])),
                        .object(JSONObject(["subject": .string(":.ctx2:t2b"), "version": .integer(1)])),
                    ]))
            #expect(try await client.get("/contexts/.ctx2/schemas/ids/2").errorCode == 40403)

            // A context's own config: `/contexts/{ctx}/config` is `/config/:.ctx:`, and its subjects inherit it.
            let put = try await client.call(.put, "/contexts/.ctx1/config", body: #"{"compatibility":"NONE"}"#)
            #expect(put.status == 200)
            #expect(try await client.get("/config/:.ctx1:").json?.objectValue?["compatibilityLevel"]?.stringValue == "NONE")
            #expect(
                try await client.get("/config/:.ctx1:topic1?defaultToGlobal=true").json?.objectValue?["compatibilityLevel"]?
                    .stringValue == "NONE")
            // NONE lets an incompatible change in (BACKWARD, the global default, would refuse it).
            let breaking = avroBody(#"{"type":"record","name":"R","fields":[{"name":"g","type":"int"}]}"#)
            #expect(try await client.post("/contexts/.ctx1/subjects/topic1/versions", breaking).status == 200)
            #expect(try await client.post("/subjects/topic3/versions", breaking).status == 409)

            // Deleting: refused while a subject (soft-deleted too) is in the context.
            #expect(try await client.call(.delete, "/contexts/.ctx1/subjects/topic1").status == 200)
            let refused = try await client.call(.delete, "/contexts/.ctx1")
            #expect(refused.status == 422)
            #expect(refused.body == #"{"error_code":42211,"message":"The specified context '.ctx1' is not empty."}"#)
            #expect(try await client.call(.delete, "/contexts/.ctx1/subjects/topic1?permanent=true").status == 200)
            #expect(try await client.call(.delete, "/contexts/.ctx1").status == 204)
            #expect(try await client.get("/contexts").strings == [".", ".ctx2"])
            #expect(try await client.call(.delete, "/contexts/.ctx2").errorCode == 42211)
        }
    }

    /// Confluent's lookup order: subject, then its named context's own setting or (default context) the global
    /// one, then `:.__GLOBAL:`. The default context's global setting does not reach a named context.
    @Test func settingsFallBackThroughTheContextThenGlobalEverywhere() async throws {
        try await InProcessRegistry().run { client async throws in
            let first = avroBody(#"{"type":"record","name":"R","fields":[{"name":"f","type":"string"}]}"#)
            let breaking = avroBody(#"{"type":"record","name":"R","fields":[{"name":"g","type":"int"}]}"#)
            for subject in ["plain", ":.eu:s"] {
                #expect(try await client.post("/subjects/\(subject)/versions", first).status == 200)
            }
            #expect(try await client.call(.put, "/config", body: #"{"compatibility":"NONE"}"#).status == 200)
            #expect(try await client.post("/subjects/:.eu:s/versions", breaking).status == 409)
            #expect(try await client.post("/subjects/plain/versions", breaking).status == 200)
            #expect(
                try await client.get("/config/:.eu:s?defaultToGlobal=true").json?.objectValue?["compatibilityLevel"]?
                    .stringValue == "BACKWARD")

            // `:.__GLOBAL:` applies in every context that sets nothing itself.
            #expect(try await client.call(.put, "/config/:.__GLOBAL:", body: #"{"compatibility":"NONE"}"#).status == 200)
            #expect(try await client.post("/subjects/:.eu:s/versions", breaking).status == 200)
            #expect(
                try await client.get("/config/:.eu:s?defaultToGlobal=true").json?.objectValue?["compatibilityLevel"]?
                    .stringValue == "NONE")

            // Modes follow the same order: a global READONLY leaves named contexts writable, `:.__GLOBAL:` does not.
            let third = avroBody(#"{"type":"record","name":"R","fields":[{"name":"h","type":"long"}]}"#)
            #expect(try await client.call(.put, "/mode", body: #"{"mode":"READONLY"}"#).status == 200)
            #expect(try await client.post("/subjects/plain/versions", third).errorCode == 42205)
            #expect(try await client.post("/subjects/:.eu:s/versions", third).status == 200)
            #expect(try await client.call(.delete, "/mode").status == 200)
            #expect(try await client.call(.put, "/mode/:.__GLOBAL:", body: #"{"mode":"READONLY"}"#).status == 200)
            #expect(try await client.get("/mode/:.eu:s?defaultToGlobal=true").json?.objectValue?["mode"]?.stringValue == "READONLY")
            #expect(try await client.post("/subjects/:.eu:other/versions", first).errorCode == 42205)
            #expect(try await client.post("/subjects/fresh/versions", first).errorCode == 42205)
        }
    }

    @Test func contextsAreFilteredByPrefixAndPaged() async throws {
        try await InProcessRegistry().run { client async throws in
            for context in [".prod", ".prod-eu", ".staging", ".dev"] {
                #expect(try await client.post("/subjects/:\(context):s/versions", Self.record("R")).status == 200)
            }
            #expect(try await client.get("/contexts").strings == [".", ".dev", ".prod", ".prod-eu", ".staging"])
            #expect(try await client.get("/contexts?contextPrefix=.prod").strings == [".prod", ".prod-eu"])
            #expect(try await client.get("/contexts?contextPrefix=.PROD").strings == [])
            #expect(try await client.get("/contexts?contextPrefix=.&offset=2&limit=2").strings == [".prod", ".prod-eu"])
            #expect(try await client.get("/contexts?offset=4&limit=2").strings == [".staging"])
        }
    }

    @Test func aGuidHasAnIdInEachContextThatHoldsIt() async throws {
        try await InProcessRegistry().run { client async throws in
            _ = try await client.post("/subjects/a/versions", Self.record("X"))
            _ = try await client.post("/subjects/:.eu:b/versions", Self.record("Y"))
            let registered = try await client.post("/subjects/:.eu:c/versions", Self.record("A"))
            _ = try await client.post("/subjects/d/versions", Self.record("A"))
            let guid = try #require(registered.json?.objectValue?["guid"]?.stringValue)
            #expect(
                try await client.get("/schemas/guids/\(guid)/ids").json
                    == .array([
                        .object(JSONObject(["context": .string("."), "id": .integer(2)])),
                        .object(JSONObject(["context": .string(".eu"), "id": .integer(2)])),
                    ]))
            #expect(try await client.get("/schemas/guids/\(guid)").status == 200)
            // Only in a named context: still found by guid.
            let onlyEU = try await client.post("/subjects/:.eu:e/versions", Self.record("Z"))
            let euGUID = try #require(onlyEU.json?.objectValue?["guid"]?.stringValue)
            #expect(try await client.get("/schemas/guids/\(euGUID)").status == 200)
            #expect(
                try await client.get("/schemas/guids/\(euGUID)/ids").json
                    == .array([.object(JSONObject(["context": .string(".eu"), "id": .integer(3)]))]))
        }
    }

    /// A reference without a context names a subject of the referrer's context; deleting it is then refused.
    @Test func referencesResolveInTheReferrersContext() async throws {
        try await InProcessRegistry().run { client async throws in
            let base = #"{"type":"record","name":"Base","fields":[{"name":"f","type":"string"}]}"#
            #expect(try await client.post("/subjects/:.eu:base/versions", avroBody(base)).status == 200)
            let user = #"{"schema":"{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"b\",\"type\":\"Base\"}]}","references":[{"name":"Base","subject":"base","version":1}]}"#
            // In the default context there is no `base`.
            #expect(try await client.post("/subjects/user/versions", user).errorCode == 42201)
            #expect(try await client.post("/subjects/:.eu:user/versions", user).status == 200)
            #expect(try await client.get("/subjects/:.eu:base/versions/1/referencedby").body == "[2]")
            #expect(try await client.call(.delete, "/subjects/:.eu:base/versions/1").errorCode == 42206)

            // With `subject`, the answer names the subject version; `referenceFormat=qualified` writes the context
            // into the references, as Confluent does for a schema of a named context.
            let plain = try await client.get("/schemas/ids/2?subject=:.eu:user")
            #expect(plain.json?.objectValue?["subject"]?.stringValue == ":.eu:user")
            #expect(plain.json?.objectValue?["version"]?.numberValue?.int64Value == 1)
            let reference = { (reply: Reply) in
                reply.json?.objectValue?["references"]?.arrayValue?.first?.objectValue?["subject"]?.stringValue
            }
            #expect(reference(plain) == "base")
            #expect(reference(try await client.get("/schemas/ids/2?subject=:.eu:user&referenceFormat=qualified")) == ":.eu:base")
            #expect(reference(try await client.get("/contexts/.eu/schemas/ids/2?referenceFormat=qualified")) == ":.eu:base")
            // Without `subject`, neither subject nor version (the default context has no id 2 here).
            #expect(try await client.get("/schemas/ids/2").errorCode == 40403)
            #expect(try await client.get("/schemas/ids/1").json?.objectValue?["subject"] == nil)
        }
    }
}
