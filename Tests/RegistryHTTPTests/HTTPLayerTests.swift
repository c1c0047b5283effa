import Foundation
import HTTPTypes
import RegistryCore
import RegistryServer
import Synchronization
import JSONSupport
import Testing

/// The HTTP layer in process: media types, routing, queries, Confluent's error bodies, authorization and a store
/// that fails under it.
@Suite struct HTTPLayerTests {
    static let order = #"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}"#
    static let v1 = "application/vnd.schemaregistry.v1+json"

    /// Confluent (JAX-RS) produces three types; the most specific match, then client q, then server quality wins.
    @Test(arguments: [
        (nil, Self.v1),
        ("application/json", "application/json"),
        ("application/vnd.schemaregistry.v1+json", Self.v1),
        ("application/vnd.schemaregistry+json", "application/vnd.schemaregistry+json"),
        ("*/*", Self.v1),
        ("application/*", Self.v1),
        ("application/json, */*", "application/json"),
        ("application/json;q=0.9, application/vnd.schemaregistry.v1+json;q=0.5", "application/json"),
        ("application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5", Self.v1),
        ("application/json; q=0, */*", Self.v1),
        ("text/html, application/json;q=0.1", "application/json"),
    ] as [(String?, String)])
    func theResponseTypeFollowsAccept(accept: String?, expected: String) async throws {
        try await InProcessRegistry().run { client async throws in
            let headers = accept.map { [("Accept", $0)] } ?? []
            let found = try await client.get("/subjects", headers: headers)
            #expect(found.status == 200)
            #expect(found.contentType == expected)
            #expect(found.body == "[]")
            // Errors are negotiated the same way.
            let missing = try await client.get("/subjects/none/versions", headers: headers)
            #expect(missing.status == 404)
            #expect(missing.errorCode == 40401)
            #expect(missing.contentType == expected)
        }
    }

    @Test func aClientThatAcceptsNoneOfTheTypesGets406() async throws {
        try await InProcessRegistry().run { client async throws in
            let refused = try await client.get("/subjects", headers: [("Accept", "text/html")])
            #expect(refused.status == 406)
            #expect(refused.errorCode == 406)
            #expect(refused.body == #"{"error_code":406,"message":"HTTP 406 Not Acceptable"}"#)
            // Probes are not Confluent routes and answer whatever the client accepts.
            #expect(try await client.get("/health", headers: [("Accept", "text/html")]).status == 200)
        }
    }

    @Test func routingAndQueries() async throws {
        try await InProcessRegistry().run { client async throws in
            let unknown = try await client.get("/nowhere/at/all")
            #expect(unknown.status == 404)
            #expect(unknown.body == #"{"error_code":404,"message":"HTTP 404 Not Found"}"#)
            #expect(try await client.post("/subjects/a-value/versions", avroBody(Self.order)).status == 200)
            #expect(try await client.post("/subjects/b-value/versions", avroBody(Self.order)).status == 200)
            // Percent-decoded segments and query values; Java's case-insensitive booleans.
            #expect(try await client.get("/subjects/a%2Dvalue/versions").body == "[1]")
            #expect(try await client.get("/subjects?subjectPrefix=b%2D").strings == ["b-value"])
            #expect(try await client.call(.delete, "/subjects/a-value").body == "[1]")
            #expect(try await client.get("/subjects?deleted=TRUE").strings == ["a-value", "b-value"])
            #expect(try await client.get("/subjects?deletedOnly=true").strings == ["a-value"])
            #expect(try await client.get("/subjects?offset=1&limit=1&deleted=true").strings == ["b-value"])
            // The default context prefix is the same routes.
            #expect(try await client.get("/contexts/./subjects").strings == ["b-value"])
            // An unsupported body type is 415 before the body is read.
            let text = try await client.call(.post, "/subjects/c-value/versions", body: "x", headers: [("Content-Type", "text/plain")])
            #expect(text.status == 415)
        }
    }

    @Test func contextsAreListedAndPaged() async throws {
        try await InProcessRegistry().run { client async throws in
            #expect(try await client.get("/contexts").strings == ["."])
            #expect(try await client.get("/contexts?offset=1").strings == [])
            #expect(try await client.get("/contexts?offset=0&limit=1").strings == ["."])
            #expect(try await client.get("/contexts?contextPrefix=.").strings == ["."])
            #expect(try await client.get("/contexts?contextPrefix=.other").strings == [])
        }
    }

    /// confluent-kafka-javascript 1.9 and later ask which subject a topic is bound to before (de)serializing;
    /// Confluent without associations answers an empty list, and the client uses its name strategy.
    @Test func theAssociationProbeOfNewClientsFindsNone() async throws {
        try await InProcessRegistry().run { client async throws in
            let probe = try await client.get("/associations/resources/-/orders?resourceType=topic&associationType=value")
            #expect(probe.status == 200)
            #expect(probe.body == "[]")
            #expect(try await client.get("/associations/subjects/orders-value").body == "[]")
            #expect(try await client.get("/associations/resources/lkc-1:orders?resourceType=topic").body == "[]")
        }
    }

    @Test func aSchemaOverTheLimitIs42209AndTheBodyLimitStaysSeparate() async throws {
        try await InProcessRegistry(options: RegistryOptions(maxSchemaBytes: 100)).run { client async throws in
            let big = #"{"type":"record","name":"Big","fields":[\#((0..<5).map { #"{"name":"f\#($0)","type":"string"}"# }.joined(separator: ","))]}"#
            let refused = try await client.post("/subjects/big-value/versions", avroBody(big))
            #expect(refused.status == 422)
            #expect(refused.body == #"{"error_code":42209,"message":"Register operation failed because schema is too large"}"#)
            #expect(try await client.get("/subjects").body == "[]")
            #expect(try await client.post("/subjects/small-value/versions", avroBody(#""string""#)).status == 200)
        }
    }

    @Test func grantsMatchSubjectGlobs() async throws {
        let auth = try authFile([
            (name: "admin", token: "admin-token", grants: [("*", "admin")]),
            (name: "reader", token: "reader-token", grants: [("orders-*", "read")]),
        ])
        try await InProcessRegistry(auth: auth).run { client async throws in
            let admin = [("Authorization", "Bearer admin-token")]
            let reader = [("Authorization", "Bearer reader-token")]
            #expect(try await client.get("/subjects").status == 401)
            #expect(try await client.post("/subjects/orders-value/versions", avroBody(Self.order), headers: admin).status == 200)
            #expect(try await client.post("/subjects/payments-value/versions", avroBody(#""long""#), headers: admin).status == 200)
            #expect(try await client.get("/subjects/orders-value/versions", headers: reader).body == "[1]")
            #expect(try await client.get("/subjects/payments-value/versions", headers: reader).status == 403)
            // A subject the reader may not see is missing from lists, and its id looks unknown.
            #expect(try await client.get("/subjects", headers: reader).strings == ["orders-value"])
            #expect(try await client.get("/schemas/ids/2", headers: reader).errorCode == 40403)
            #expect(try await client.post("/subjects/orders-value/versions", avroBody(Self.order), headers: reader).status == 403)
        }
    }

    /// When the store fails while a request is being authorized, the answer is a 5xx: never a 403 or a 404 that
    /// would tell a client its grant or the schema is not there.
    @Test func aStoreOutageDuringAuthorizationIsA5xx() async throws {
        let auth = try authFile([
            (name: "admin", token: "admin-token", grants: [("*", "admin")]),
            (name: "reader", token: "reader-token", grants: [("orders-*", "read")]),
        ])
        let registry = InProcessRegistry(auth: auth)
        try await registry.run { client async throws in
            let admin = [("Authorization", "Bearer admin-token")]
            let reader = [("Authorization", "Bearer reader-token")]
            #expect(try await client.post("/subjects/orders-value/versions", avroBody(Self.order), headers: admin).status == 200)
            registry.store.outage.store(true, ordering: .relaxed)
            for path in ["/schemas/ids/1", "/schemas/ids/1/subjects", "/schemas/ids/1/versions", "/subjects", "/subjects/orders-value/versions"] {
                let reply = try await client.get(path, headers: reader)
                #expect(reply.status == 500, "\(path)")
                #expect(reply.errorCode == 50001, "\(path)")
            }
            let ready = try await client.get("/ready")
            #expect(ready.status == 503)
            registry.store.outage.store(false, ordering: .relaxed)
            #expect(try await client.get("/schemas/ids/1", headers: reader).status == 200)
        }
    }
}

/// Fields newer Confluent clients send, which Accord does not use, are accepted wherever Confluent accepts them.
@Suite struct UnknownFieldTests {
    @Test func bodiesWithFieldsAccordDoesNotKnowAreAccepted() async throws {
        try await InProcessRegistry().run { client async throws in
            let schema = #"{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}"#
            var body = avroBody(schema)
            body.removeLast()
            body += #","schemaTagsToAdd":[],"propagateSchemaTags":false,"normalize":true,"someFutureField":{"x":1}}"#
            let registered = try await client.post("/subjects/s/versions", body)
            #expect(registered.status == 200, "\(registered.body)")
            #expect(try await client.post("/subjects/s", body).status == 200)
            let check = try await client.post("/compatibility/subjects/s/versions/latest", body)
            #expect(check.body == #"{"is_compatible":true}"#)
            let config = try await client.call(.put, "/config/s", body: #"{"compatibility":"FULL","validateFields":false,"alias":null}"#)
            #expect(config.status == 200)
            #expect(try await client.get("/config/s").json?.objectValue?["compatibilityLevel"] == .string("FULL"))
            let mode = try await client.call(.put, "/mode/s", body: #"{"mode":"READONLY","someFutureField":true}"#)
            #expect(mode.body == #"{"mode":"READONLY"}"#)
        }
    }
}

/// Confluent's config bodies are read in the server layer: PUT takes `compatibility` and echoes the body, GET
/// answers `compatibilityLevel`, bad values are 42203 or 422.
@Suite struct ConfigBodyTests {
    @Test func configBodiesInAndOut() async throws {
        try await InProcessRegistry().run { client async throws in
            #expect(try await client.get("/config").body == #"{"compatibilityLevel":"BACKWARD"}"#)
            let body = #"{"compatibility":"full_transitive","validateFields":true}"#
            #expect(try await client.call(.put, "/config", body: body).body == body)
            #expect(try await client.get("/config").body == #"{"compatibilityLevel":"FULL_TRANSITIVE","validateFields":true}"#)
            #expect(try await client.call(.put, "/config", body: #"{"validateFields":null,"normalize":true}"#).status == 200)
            #expect(try await client.get("/config").body == #"{"compatibilityLevel":"FULL_TRANSITIVE","normalize":true}"#)
            for bad in [#""SIDEWAYS""#, #""""#, "3", "true"] {
                let reply = try await client.call(.put, "/config/s", body: #"{"compatibility":\#(bad)}"#)
                #expect(reply.errorCode == 42203, "\(bad)")
            }
            #expect(try await client.call(.put, "/config/s", body: #"{"normalize":"yes"}"#).errorCode == 422)
            #expect(try await client.call(.put, "/config/s", body: #"{"protobufRules":"strict"}"#).errorCode == 422)
            #expect(try await client.call(.put, "/config/s", body: #"{"compatibilityPolicy":"LOOSE"}"#).errorCode == 422)
            #expect(try await client.get("/config/s").errorCode == 40408)
            #expect(try await client.call(.put, "/config/s", body: #"{"protobufRules":"WIRE"}"#).status == 200)
            #expect(try await client.call(.delete, "/config/s").body == #"{"protobufRules":"wire"}"#)
        }
    }
}

@Suite struct GUIDRouteTests {
    @Test func aGuidsIdsAreListedWithTheirContext() async throws {
        try await InProcessRegistry().run { client async throws in
            let order = #"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}"#
            let registered = try await client.post("/subjects/orders-value/versions", avroBody(order))
            // Confluent's digest of this exact text (see GUIDTests).
            #expect(registered.json?.objectValue?["guid"] == .string("b040db4b-fdae-23ea-4a07-95f3973b98c8"))
            let ids = try await client.get("/schemas/guids/b040db4b-fdae-23ea-4a07-95f3973b98c8/ids")
            #expect(ids.body == #"[{"context":".","id":1}]"#)
            #expect(try await client.get("/schemas/guids/00000000-0000-0000-0000-000000000000/ids").body == "[]")
            #expect(try await client.get("/schemas/guids/b040db4b-fdae-23ea-4a07-95f3973b98c8").json?.objectValue?["guid"] != nil)
        }
    }
}
