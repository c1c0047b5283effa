import JSONSupport
import Foundation
import SwiftProtobuf
import Testing

/// Protobuf: .proto text, base64 FileDescriptorProto, imports as references, `format=serialized`.
@Suite struct ProtobufTests {
    /// `Fixture.orderProto` as a serialized FileDescriptorProto, base64 (what Confluent's serializers may send).
    static func orderDescriptorBase64(extraField: Bool = false) throws -> String {
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "order.proto"
        file.package = "e2e"
        file.syntax = "proto3"
        var message = Google_Protobuf_DescriptorProto()
        message.name = "Order"
        var id = Google_Protobuf_FieldDescriptorProto()
        id.name = "id"
        id.number = 1
        id.label = .optional
        id.type = .int64
        id.jsonName = "id"
        var note = Google_Protobuf_FieldDescriptorProto()
        note.name = "note"
        note.number = 2
        note.label = .optional
        note.type = .string
        note.jsonName = "note"
        message.field = [id, note]
        if extraField {
            var extra = Google_Protobuf_FieldDescriptorProto()
            extra.name = "extra"
            extra.number = 3
            extra.label = .optional
            extra.type = .bool
            extra.jsonName = "extra"
            message.field.append(extra)
        }
        file.messageType = [message]
        let bytes: [UInt8] = try file.serializedBytes()
        return Data(bytes).base64EncodedString()
    }

    @Test func registerProtobufTextAndReadItBack() async throws {
        try await withServer { client in
            let reply = try await client.register("orders-value", Body.schema(Fixture.orderProto, type: "PROTOBUF"))
            #expect(reply.status == 200)
            #expect(reply.string("schemaType") == "PROTOBUF")
            #expect(reply.int("version") == 1)
            let id = try #require(reply.int("id"))

            let read = try await client.get("/subjects/orders-value/versions/1")
            #expect(read.string("schemaType") == "PROTOBUF")
            let text = try #require(read.string("schema"))
            #expect(text.contains("message Order"))

            // Lookup with the same text; the same text again registers nothing new.
            let lookup = try await client.post("/subjects/orders-value", Body.schema(Fixture.orderProto, type: "PROTOBUF"))
            #expect(lookup.status == 200)
            #expect(lookup.int("id") == id)
            #expect(try await client.register("orders-value", Body.schema(text, type: "PROTOBUF")).int("version") == 1)

            // format=serialized gives a base64 FileDescriptorProto describing Order.
            let serialized = try await client.get("/schemas/ids/\(id)?format=serialized")
            #expect(serialized.status == 200)
            let base64 = try #require(serialized.string("schema"))
            let data = try #require(Data(base64Encoded: base64))
            let file = try Google_Protobuf_FileDescriptorProto(serializedBytes: [UInt8](data))
            #expect(file.package == "e2e")
            #expect(file.messageType.map(\.name) == ["Order"])
            #expect(file.messageType.first?.field.map(\.name) == ["id", "note"])
            let versionSerialized = try await client.get("/subjects/orders-value/versions/1?format=serialized")
            #expect(versionSerialized.string("schema") == base64)
            #expect(try await client.get("/schemas/ids/\(id)/schema?format=serialized").text == base64)
        }
    }

    @Test func registerBase64FileDescriptorProto() async throws {
        try await withServer { client in
            let base64 = try Self.orderDescriptorBase64()
            let reply = try await client.register("fdp", Body.schema(base64, type: "PROTOBUF"))
            #expect(reply.status == 200, "\(reply)")
            let id = try #require(reply.int("id"))
            // Stored as .proto text, so the text form is the same schema: the same id under another subject.
            let stored = try #require(try await client.get("/schemas/ids/\(id)").string("schema"))
            #expect(stored.contains("message Order"))
            let lookup = try await client.post("/subjects/fdp", Body.schema(base64, type: "PROTOBUF"))
            #expect(lookup.status == 200)
            #expect(lookup.int("id") == id)
            // A compatible evolution, also as a descriptor.
            let evolved = try await client.register("fdp", Body.schema(try Self.orderDescriptorBase64(extraField: true), type: "PROTOBUF"))
            #expect(evolved.status == 200)
            #expect(evolved.int("version") == 2)
            // Garbage that looks like base64 is an invalid schema, not a 500.
            let garbage = try await client.register("fdp", Body.schema("AAAA", type: "PROTOBUF"))
            #expect(garbage.status == 422)
            #expect(garbage.errorCode == 42201)
        }
    }

    @Test func protobufImportsAsReferences() async throws {
        try await withServer { client in
            let money = try await client.register("money", Body.schema(Fixture.moneyProto, type: "PROTOBUF"))
            #expect(money.status == 200)
            let reply = try await client.register(
                "invoice",
                Body.schema(
                    Fixture.invoiceProto, type: "PROTOBUF",
                    references: [(name: "e2e/common/money.proto", subject: "money", version: 1)]))
            #expect(reply.status == 200, "\(reply)")
            let id = try #require(reply.int("id"))
            let read = try await client.get("/subjects/invoice/versions/latest")
            let references = try #require(read.object?["references"]?.arrayValue)
            #expect(references.count == 1)
            #expect(references.first?["name"]?.stringValue == "e2e/common/money.proto")
            #expect(references.first?["subject"]?.stringValue == "money")
            #expect(references.first?["version"]?.int == 1)
            #expect(try await client.get("/subjects/money/versions/1/referencedby").ints == [id])
            let byID = try await client.get("/schemas/ids/\(id)")
            #expect(byID.object?["references"]?.arrayValue?.count == 1)

            // Without the reference the import cannot be resolved.
            let missing = try await client.register("invoice2", Body.schema(Fixture.invoiceProto, type: "PROTOBUF"))
            #expect(missing.status == 422)
            #expect(missing.errorCode == 42201)
        }
    }

    @Test func avroReferencesResolve() async throws {
        try await withServer { client in
            try await client.registerID("address", Fixture.address)
            let reply = try await client.register(
                "customer",
                Body.schema(Fixture.customer, references: [(name: "e2e.Address", subject: "address", version: 1)]))
            #expect(reply.status == 200)
            // Without its reference the type is unknown.
            let bare = try await client.register("customer2", Body.schema(Fixture.customer))
            #expect(bare.status == 422)
            #expect(bare.errorCode == 42201)
            // A reference to a version that does not exist.
            let wrongVersion = try await client.register(
                "customer3",
                Body.schema(Fixture.customer, references: [(name: "e2e.Address", subject: "address", version: 7)]))
            #expect(wrongVersion.status == 422)
            #expect(wrongVersion.errorCode == 42201)
        }
    }

    @Test func protobufCompatibilityAndTheRuleSetExtension() async throws {
        try await withServer { client in
            try await client.registerID("p", Fixture.orderProto, type: "PROTOBUF")
            // Changing a field's type is incompatible under Confluent's rules.
            let changed = Fixture.orderProto.replacingOccurrences(of: "string note = 2;", with: "int32 note = 2;")
            let check = try await client.post(
                "/compatibility/subjects/p/versions/latest?verbose=true", Body.schema(changed, type: "PROTOBUF"))
            #expect(check.status == 200)
            #expect(check.bool("is_compatible") == false)
            #expect((check.object?["messages"]?.arrayValue?.count ?? 0) > 0)

            // protobufRules is a per-subject extension: PUT answers it, GET shows it, bad values refused.
            let put = try await client.put("/config/p", Body.object(["protobufRules": "wire"]))
            #expect(put.status == 200)
            #expect(put.string("protobufRules") == "wire")
            #expect(try await client.get("/config/p").string("protobufRules") == "wire")
            let bad = try await client.put("/config/p", Body.object(["protobufRules": "strict"]))
            #expect(bad.status == 422)
            #expect(bad.isErrorBody)
        }
    }
}
