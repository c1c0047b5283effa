import AccordClient
import AccordSerializers
import AvroCodec
import Foundation
import JSONSupport
import SwiftProtobuf
import Testing

/// The serializer library (issue 9) against the built `accord serve`: Codable values through Avro with logical
/// types, SwiftProtobuf messages, JSON values; subject name strategies and options; validation before producing;
/// dead letters; and counters proving that a warm serializer or deserializer makes no registry call and parses
/// no schema.
@Suite struct SerializerTests {
    static let orderSchema = """
        {"type":"record","name":"Order","namespace":"shop","fields":[
          {"name":"id","type":"string"},
          {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}},
          {"name":"placedAt","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"day","type":{"type":"int","logicalType":"date"}},
          {"name":"customer","type":{"type":"string","logicalType":"uuid"}},
          {"name":"note","type":["null","string"],"default":null},
          {"name":"status","type":{"type":"enum","name":"Status","symbols":["PAID","SHIPPED"]}},
          {"name":"tags","type":{"type":"array","items":"string"}},
          {"name":"counts","type":{"type":"map","values":"int"}}
        ]}
        """
    static let orderSchemaV2 = orderSchema.replacingOccurrences(
        of: #"{"name":"tags""#, with: #"{"name":"channel","type":"string","default":"web"},{"name":"tags""#)

    enum Status: String, Codable { case paid = "PAID", shipped = "SHIPPED", lost = "LOST" }

    struct Order: Codable, Equatable {
        var id: String
        var amount: Decimal
        var placedAt: Date
        var day: Date
        var customer: UUID
        var note: String?
        var status: Status
        var tags: [String]
        var counts: [String: Int]
    }

    struct OrderV2: Codable, Equatable {
        var id: String
        var channel: String
        var note: String?
    }

    static let order = Order(
        id: "o-1", amount: Decimal(string: "-12.34") ?? 0, placedAt: Date(timeIntervalSince1970: 1_700_000_000.123),
        day: Date(timeIntervalSince1970: 19_000 * 86_400), customer: UUID(uuidString: "6F1B8C2E-0D6A-4C1B-9B7E-2A1C3D4E5F60") ?? UUID(),
        note: nil, status: .paid, tags: ["a", "b"], counts: ["x": 1])

    static func client(_ server: RegistryClient) -> SchemaRegistryClient {
        SchemaRegistryClient(configuration: RegistryClientConfiguration(baseURL: server.base))
    }

    @Test func codableValuesRoundTripThroughAvroWithLogicalTypes() async throws {
        try await withServer { server in
            let client = Self.client(server)
            let serializer = try await AvroSerializer<Order>(client: client, schema: Self.orderSchema)
            let bytes = try await serializer.serialize(Self.order, topic: "orders")
            let registered = try await client.version(subject: "orders-value", .latest)
            #expect(Array(bytes.prefix(5)) == [0, 0, 0, 0, UInt8(registered.id)])
            // The payload is exactly what the Avro codec writes for the same datum.
            let schema = try AvroSchema(parsing: Self.orderSchema)
            let datum = try AvroValueEncoder(schema: schema).encode(Self.order)
            #expect(Array(bytes.dropFirst(5)) == (try AvroDatumCodec(schema: schema).encode(datum)))
            // amount -12.34 at scale 2 is the unscaled -1234: two's complement 0xFB2E.
            guard case .record(let fields) = datum else { Issue.record("not a record"); return }
            #expect(fields[1] == .bytes([0xFB, 0x2E]))
            #expect(fields[2] == .long(1_700_000_000_123))
            #expect(fields[3] == .int(19_000))
            #expect(fields[4] == .string("6f1b8c2e-0d6a-4c1b-9b7e-2a1c3d4e5f60"))
            #expect(fields[5] == .union(branch: 0, value: .null))
            #expect(fields[6] == .enumeration(index: 0, symbol: "PAID"))

            let deserializer = try await AvroDeserializer<Order>(client: client)
            #expect(try await deserializer.deserialize(bytes, topic: "orders") == Self.order)
        }
    }

    @Test func aWarmSerializerAndDeserializerMakeNoRegistryCallAndParseNoSchema() async throws {
        try await withServer { server in
            let client = Self.client(server)
            let serializer = try await AvroSerializer<Order>(client: client, schema: Self.orderSchema)
            let deserializer = try await AvroDeserializer<Order>(client: client)
            let first = try await serializer.serialize(Self.order, topic: "orders")
            _ = try await deserializer.deserialize(first, topic: "orders")
            let (requests, parses, readerParses) = (client.requests, serializer.schemaParses, deserializer.schemaParses)
            #expect(requests == 2)  // one registration, one schema fetch by id
            #expect(parses == 1 && readerParses == 1)
            for index in 0..<500 {
                var order = Self.order
                order.id = "o-\(index)"
                let bytes = try await serializer.serialize(order, topic: "orders")
                #expect(try await deserializer.deserialize(bytes, topic: "orders").id == "o-\(index)")
            }
            // A serializer bound to the topic writes the same bytes, still without calls or parses.
            let bound = try await serializer.bound(topic: "orders")
            #expect(bound.subject == "orders-value")
            #expect(try bound.serialize(Self.order) == (try await serializer.serialize(Self.order, topic: "orders")))
            #expect(client.requests == requests)
            #expect(serializer.schemaParses == parses)
            #expect(deserializer.schemaParses == readerParses)
        }
    }

    @Test func anInvalidValueIsRefusedWithItsPathAndDeadLettered() async throws {
        try await withServer { server in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlq-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("dead.jsonl").path
            let sink = JSONLinesDeadLetterFile(path: file)
            let client = Self.client(server)
            let serializer = try await AvroSerializer<Order>(client: client, schema: Self.orderSchema, deadLetters: sink)
            func refusal(_ order: Order) async -> (String, String)? {
                do {
                    _ = try await serializer.serialize(order, topic: "orders")
                    return nil
                } catch {
                    guard case .invalidValue(let path, let reason) = error else { return ("?", "\(error)") }
                    return (path, reason)
                }
            }
            var lost = Self.order
            lost.status = .lost
            let statusRefusal = await refusal(lost)
            #expect(statusRefusal?.0 == "/status")
            #expect(statusRefusal?.1 == "'LOST' is not a symbol of shop.Status (PAID, SHIPPED)")
            var tooPrecise = Self.order
            tooPrecise.amount = Decimal(string: "1.234") ?? 0
            #expect(await refusal(tooPrecise)?.0 == "/amount")
            var huge = Self.order
            huge.counts = ["big": Int(Int32.max) + 1]
            let countRefusal = await refusal(huge)
            #expect(countRefusal?.0 == "/counts/big")
            #expect(countRefusal?.1 == "expected an integer within Int32, got an integer")
            #expect(await sink.written == 3)
            let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 3)
            let first = try JSONParser.parse(String(lines[0]))
            #expect(first.objectValue?["stage"]?.stringValue == "serialize")
            #expect(first.objectValue?["topic"]?.stringValue == "orders")
            #expect(first.objectValue?["subject"]?.stringValue == "orders-value")
            #expect(first.objectValue?["reason"]?.stringValue == "invalid value at /status: 'LOST' is not a symbol of shop.Status (PAID, SHIPPED)")

            // A deserializer's unreadable message goes to the sink with its bytes.
            let deserializer = try await AvroDeserializer<Order>(client: client, deadLetters: sink)
            let good = try await serializer.serialize(Self.order, topic: "orders")
            await #expect(throws: SerdeError.self) { try await deserializer.deserialize(Array(good.dropLast(3)), topic: "orders") }
            await #expect(throws: SerdeError.self) { try await deserializer.deserialize([7, 1, 2], topic: "orders") }
            #expect(await sink.written == 5)
        }
    }

    @Test func subjectNameStrategiesAndKeys() async throws {
        try await withServer { server in
            let client = Self.client(server)
            let strategies: [(SubjectNameStrategy, MessageField, String)] = [
                (.topic, .value, "orders-value"), (.topic, .key, "orders-key"), (.record, .value, "shop.Order"),
                (.topicRecord, .value, "orders-shop.Order"), (.custom({ "\($0).\($1.rawValue).\($2)" }), .key, "orders.key.shop.Order"),
            ]
            for (strategy, field, subject) in strategies {
                let serializer = try await AvroSerializer<Order>(
                    client: client, schema: Self.orderSchema, options: SerializerOptions(subjectNameStrategy: strategy))
                _ = try await serializer.serialize(Self.order, topic: "orders", field: field)
                #expect(try await client.versions(subject: subject) == [1])
            }
            #expect(try await client.subjects().sorted() == strategies.map(\.2).sorted())
        }
    }

    @Test func lookupOnlyUseLatestAndGUIDFraming() async throws {
        try await withServer { server in
            let client = Self.client(server)
            // Without auto-registration the schema must be there already.
            let lookupOnly = try await AvroSerializer<Order>(
                client: client, schema: Self.orderSchema, options: SerializerOptions(autoRegister: false))
            do {
                _ = try await lookupOnly.serialize(Self.order, topic: "orders")
                Issue.record("an unregistered schema was used")
            } catch {
                guard let serde = error as? SerdeError, case .registry(let cause) = serde else { Issue.record("\(error)"); return }
                #expect((cause as? RegistryClientError)?.errorCode == RegistryClientError.subjectNotFound)
            }
            let v1 = try await client.register(subject: "orders-value", RegistrySchema(schema: Self.orderSchema))
            #expect(try await lookupOnly.serialize(Self.order, topic: "orders").prefix(5) == [0, 0, 0, 0, UInt8(v1.id)])
            let v2 = try await client.register(subject: "orders-value", RegistrySchema(schema: Self.orderSchemaV2))
            // useLatest writes with version 2 (its default fills the field the value does not have).
            let latest = try await AvroSerializer<Order>(client: client, options: SerializerOptions(useLatest: true))
            let bytes = try await latest.serialize(Self.order, topic: "orders")
            #expect(bytes.prefix(5) == [0, 0, 0, 0, UInt8(v2.id)])
            let asV2 = try await AvroDeserializer<OrderV2>(client: client).deserialize(bytes, topic: "orders")
            #expect(asV2 == OrderV2(id: "o-1", channel: "web", note: nil))
            // GUID framing: 0x01 and the schema's 16-byte GUID.
            let guidSerializer = try await AvroSerializer<Order>(
                client: client, schema: Self.orderSchema, options: SerializerOptions(framing: .guid))
            let framed = try await guidSerializer.serialize(Self.order, topic: "orders")
            let guid = try #require(v1.guid)
            let hex = guid.replacingOccurrences(of: "-", with: "")
            let guidBytes = stride(from: 0, to: hex.count, by: 2).map { offset -> UInt8 in
                let start = hex.index(hex.startIndex, offsetBy: offset)
                return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16) ?? 0
            }
            #expect(Array(framed.prefix(17)) == [1] + guidBytes)
            #expect(try await AvroDeserializer<Order>(client: client).deserialize(framed, topic: "orders") == Self.order)
        }
    }

    @Test func useLatestWithMetadataPicksTheMatchingVersion() async throws {
        try await withServer { server in
            func register(_ schema: String, major: String) async throws -> Int? {
                let metadata = JSONValue.object(JSONObject(["properties": .object(JSONObject(["major": .string(major)]))]))
                let reply = try await server.post(
                    "/subjects/orders-value/versions", Body.schema(schema, extra: [("metadata", metadata)]))
                return reply.int("id")
            }
            let v1 = try #require(try await register(Self.orderSchema, major: "1"))
            let v2 = try #require(try await register(Self.orderSchemaV2, major: "2"))
            #expect(v1 != v2)
            // The route itself: the latest version whose properties hold every key/value pair.
            let found = try await server.get("/subjects/orders-value/metadata?key=major&value=1")
            #expect(found.status == 200 && found.int("version") == 1 && found.int("id") == v1)
            #expect(try await server.get("/subjects/orders-value/metadata?key=major&value=3").status == 404)
            #expect(try await server.get("/subjects/orders-value/metadata?key=major&value=3").int("error_code") == 40403)
            #expect(try await server.get("/subjects/nope/metadata?key=major&value=1").int("error_code") == 40401)
            #expect(try await server.get("/subjects/orders-value/metadata?key=major").status == 422)

            let client = Self.client(server)
            let pinned = try await AvroSerializer<Order>(
                client: client, options: SerializerOptions(useLatestWithMetadata: ["major": "1"]))
            #expect(try await pinned.serialize(Self.order, topic: "orders").prefix(5) == [0, 0, 0, 0, UInt8(v1)])
            let latest = try await AvroSerializer<Order>(
                client: client, options: SerializerOptions(useLatestWithMetadata: ["major": "2"]))
            #expect(try await latest.serialize(Self.order, topic: "orders").prefix(5) == [0, 0, 0, 0, UInt8(v2)])
        }
    }

    @Test func aConsumerPinnedToOneVersionReadsTheOthers() async throws {
        try await withServer { server in
            let client = Self.client(server)
            let v1Bytes = try await AvroSerializer<Order>(client: client, schema: Self.orderSchema)
                .serialize(Self.order, topic: "orders")
            // The reader schema is version 2: version 1's data gets the default.
            let pinned = try await AvroDeserializer<OrderV2>(client: client, readerSchema: Self.orderSchemaV2)
            #expect(try await pinned.deserialize(v1Bytes, topic: "orders") == OrderV2(id: "o-1", channel: "web", note: nil))
            let json = try await JSONValueDeserializer(client: client, readerSchema: RegistrySchema(schema: Self.orderSchemaV2))
                .deserialize(v1Bytes, topic: "orders")
            #expect(json.objectValue?["channel"]?.stringValue == "web")
        }
    }

    @Test func protobufMessagesCarryTheirIndexesAndRoundTrip() async throws {
        let proto = try String(
            contentsOfFile: Build.packageRoot.appendingPathComponent("Tests/python/protos/shop/shop.proto").path, encoding: .utf8)
        try await withServer { server in
            let client = Self.client(server)
            var order = Shop_Order()
            order.id = "o-9"
            order.cents = 1250
            order.tags = ["x"]
            order.status = .paid
            let orders = try await ProtobufSerializer<Shop_Order>(client: client, schema: proto)
            let bytes = try await orders.serialize(order, topic: "shop")
            let id = try await client.version(subject: "shop-value", .latest).id
            let payload: [UInt8] = try order.serializedBytes()
            // Header, then message indexes [0] written as the single byte 0.
            #expect(bytes == [0, 0, 0, 0, UInt8(id), 0] + payload)
            var refund = Shop_Refund()
            refund.orderID = "o-9"
            refund.cents = 5
            let refunds = try await ProtobufSerializer<Shop_Refund>(
                client: client, schema: proto, options: SerializerOptions(subjectNameStrategy: .record))
            let refundBytes = try await refunds.serialize(refund, topic: "shop")
            // shop.Refund is the file's second message: indexes [1], written as count 1 (zig-zag 2) then 1 (2).
            #expect(Array(refundBytes[5..<7]) == [2, 2])
            #expect(try await client.versions(subject: "shop.Refund") == [1])

            let orderReader = try await ProtobufDeserializer<Shop_Order>(client: client)
            #expect(try await orderReader.deserialize(bytes, topic: "shop") == order)
            let refundReader = try await ProtobufDeserializer<Shop_Refund>(client: client)
            #expect(try await refundReader.deserialize(refundBytes, topic: "shop") == refund)
            let json = try await JSONValueDeserializer(client: client).deserialize(refundBytes, topic: "shop")
            #expect(json.serialized() == #"{"orderId":"o-9","cents":"5"}"#)
            #expect(try await orders.bound(topic: "shop").serialize(order) == bytes)
            let requests = client.requests
            for _ in 0..<200 {
                _ = try await orders.serialize(order, topic: "shop")
                _ = try await orderReader.deserialize(bytes, topic: "shop")
            }
            #expect(client.requests == requests)
        }
    }

    @Test func jsonValuesAreCheckedAgainstAnyFormat() async throws {
        try await withServer { server in
            let client = Self.client(server)
            let serializer = try await JSONValueSerializer(client: client, schema: Fixture.userV1, schemaType: "AVRO")
            let bytes = try await serializer.serialize(try JSONParser.parse(#"{"id":42}"#), topic: "users")
            #expect(Array(bytes.dropFirst(5)) == [84])
            do {
                _ = try await serializer.serialize(try JSONParser.parse(#"{"id":"x"}"#), topic: "users")
                Issue.record("a string was written as a long")
            } catch {
                guard let serde = error as? SerdeError, case .invalidValue(let path, _) = serde else { Issue.record("\(error)"); return }
                #expect(path == "/id")
            }
            #expect(try await JSONValueDeserializer(client: client).deserialize(bytes, topic: "users").serialized() == #"{"id":42}"#)
        }
    }
}
