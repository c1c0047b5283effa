import Foundation
import JSONSupport
import Testing

/// `schemaType: "JSON"` through the registry: registration, identity regardless of key order, references by
/// the URI a `$ref` uses, Confluent's verdicts under STRICT and LENIENT with kinds, paths and hints.
@Suite struct JSONSchemaRegistryTests {
    static let open = #"{"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}"#
    static let openPlusOptional = #"{"type":"object","properties":{"id":{"type":"string"},"note":{"type":"string"}},"required":["id"]}"#
    static let closed = #"{"type":"object","properties":{"id":{"type":"string"}},"required":["id"],"additionalProperties":false}"#
    static let closedPlusOptional = #"{"type":"object","properties":{"id":{"type":"string"},"note":{"type":"string"}},"required":["id"],"additionalProperties":false}"#

    @Test func registerLookUpAndReadJSONSchemas() async throws {
        try await withServer { client in
            #expect(try await client.get("/schemas/types").strings?.contains("JSON") == true)
            let first = try await client.register("events-value", Body.schema(Self.open, type: "JSON"))
            #expect(first.status == 200, "\(first.text)")
            let id = try #require(first.int("id"))
            let read = try await client.get("/schemas/ids/\(id)")
            #expect(read.string("schemaType") == "JSON")
            #expect(try JSONParser.parse(read.string("schema") ?? "") == JSONParser.parse(Self.open))
            // The same schema with other key order and whitespace is the same version.
            let reordered = #"{ "required": ["id"], "properties": { "id": { "type": "string" } }, "type": "object" }"#
            let lookup = try await client.post("/subjects/events-value", Body.schema(reordered, type: "JSON"))
            #expect(lookup.status == 200, "\(lookup.text)")
            #expect(lookup.int("id") == id)
            #expect(try await client.register("events-value", Body.schema(reordered, type: "JSON")).int("id") == id)
            #expect(try await client.get("/subjects/events-value/versions").ints == [1])

            // Not a schema: 42201 with the engine's reason.
            let invalid = try await client.register("events-value", Body.schema(#"{"type": 12}"#, type: "JSON"))
            #expect(invalid.status == 422)
            #expect(invalid.errorCode == 42201)
            let notJSON = try await client.register("events-value", Body.schema("{nope", type: "JSON"))
            #expect(notJSON.errorCode == 42201)
        }
    }

    @Test func verdictsFollowTheContentModelAndThePolicy() async throws {
        try await withServer { client in
            // BACKWARD, STRICT: an optional property added to an open model may already exist with another type.
            #expect(try await client.register("open-value", Body.schema(Self.open, type: "JSON")).status == 200)
            let check = try await client.post(
                "/compatibility/subjects/open-value/versions/latest?verbose=true", Body.schema(Self.openPlusOptional, type: "JSON"))
            #expect(check.status == 200)
            #expect(check.object?["is_compatible"] == .bool(false))
            let messages = check.object?["messages"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(messages.contains { $0.contains("OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL") && $0.contains("#/properties/note") })
            let refused = try await client.register("open-value", Body.schema(Self.openPlusOptional, type: "JSON"))
            #expect(refused.status == 409)
            // LENIENT (Confluent's compatibilityPolicy) accepts it.
            #expect(try await client.put("/config/open-value", Body.object(["compatibilityPolicy": "LENIENT"])).status == 200)
            #expect(try await client.register("open-value", Body.schema(Self.openPlusOptional, type: "JSON")).int("version") == 2)

            // A closed model takes a new optional property under STRICT.
            #expect(try await client.register("closed-value", Body.schema(Self.closed, type: "JSON")).status == 200)
            #expect(try await client.register("closed-value", Body.schema(Self.closedPlusOptional, type: "JSON")).int("version") == 2)
            // Removing it again from a closed model is not BACKWARD compatible under STRICT.
            let removal = try await client.post(
                "/compatibility/subjects/closed-value/versions/latest?verbose=true", Body.schema(Self.closed, type: "JSON"))
            #expect(removal.object?["is_compatible"] == .bool(false))
            #expect(
                removal.object?["messages"]?.arrayValue?.compactMap(\.stringValue)
                    .contains { $0.contains("PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL") } == true)
            // Another schema type is always incompatible.
            let avro = try await client.post(
                "/compatibility/subjects/closed-value/versions/latest", Body.schema(#"{"type":"string"}"#))
            #expect(avro.object?["is_compatible"] == .bool(false))
        }
    }

    @Test func referencesAreDocumentsNamedByTheirURI() async throws {
        try await withServer { client in
            let address = #"{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"#
            #expect(try await client.register("address", Body.schema(address, type: "JSON")).status == 200)
            let customer = #"{"type":"object","properties":{"home":{"$ref":"address.schema.json"}}}"#
            let registered = try await client.register(
                "customers-value", Body.schema(customer, type: "JSON", references: [("address.schema.json", "address", 1)]))
            #expect(registered.status == 200, "\(registered.text)")
            // The reference is needed: without it the $ref cannot be resolved (nothing is fetched).
            let missing = try await client.register("other-value", Body.schema(customer, type: "JSON"))
            #expect(missing.status == 422)
            #expect(missing.string("message")?.contains("address.schema.json") == true)
            #expect(try await client.get("/subjects/address/versions/1/referencedby").ints?.count == 1)
        }
    }
}
