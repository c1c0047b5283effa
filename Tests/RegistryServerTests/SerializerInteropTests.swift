import AccordClient
import AccordSerializers
import Foundation
import JSONSupport
import SwiftProtobuf
import Testing

/// Accord's serializer library against confluent-kafka's Python serializers (PyPI, unmodified), both ways,
/// through one `accord serve`: bytes Accord writes are read by confluent-kafka's AvroDeserializer and
/// ProtobufDeserializer, and bytes confluent-kafka writes are read by Accord's AvroDeserializer,
/// ProtobufDeserializer and JSONValueDeserializer. Covers the V0 frame (0x00 + 4-byte id) and the GUID frame
/// (0x01 + 16-byte GUID, as a payload prefix), an Avro record whose fields are a named type of another subject
/// (a reference named by the type's full name), a Protobuf file importing another (a reference named by the
/// import path), and Protobuf message indexes [0], [1] and [0, 0]. `Tests/python/serde_interop.py` is the
/// Python side; `scripts/install-python-test-deps.sh` installs what it needs.
@Suite struct SerializerInteropTests {
    // The same schemas as Tests/python/serde_interop.py.
    static let orderSchema = """
        {"type":"record","name":"Order","namespace":"interop","fields":[{"name":"id","type":"string"},\
        {"name":"cents","type":"long"},{"name":"note","type":["null","string"],"default":null},\
        {"name":"status","type":{"type":"enum","name":"Status","symbols":["PAID","SHIPPED","LOST"]}},\
        {"name":"tags","type":{"type":"array","items":"string"}},\
        {"name":"address","type":{"type":"record","name":"Address","fields":[{"name":"city","type":"string"},\
        {"name":"zip","type":["null","long"],"default":null}]}}]}
        """
    static let customerSchema = """
        {"type":"record","name":"Customer","namespace":"interop.people","fields":[{"name":"name","type":"string"},\
        {"name":"email","type":["null","string"],"default":null}]}
        """
    static let purchaseSchema = """
        {"type":"record","name":"Purchase","namespace":"interop","fields":[{"name":"id","type":"string"},\
        {"name":"buyer","type":"interop.people.Customer"},\
        {"name":"referrer","type":["null","interop.people.Customer"],"default":null},{"name":"total","type":"long"}]}
        """
    /// An Avro reference is named by the referenced type's full name.
    static let customerReferenceName = "interop.people.Customer"

    enum Status: String, Codable { case paid = "PAID", shipped = "SHIPPED", lost = "LOST" }

    struct Address: Codable, Equatable {
        var city: String
        var zip: Int?
    }

    struct Order: Codable, Equatable {
        var id: String
        var cents: Int
        var note: String?
        var status: Status
        var tags: [String]
        var address: Address
    }

    struct Customer: Codable, Equatable {
        var name: String
        var email: String?
    }

    struct Purchase: Codable, Equatable {
        var id: String
        var buyer: Customer
        var referrer: Customer?
        var total: Int
    }

    static let script = Build.packageRoot.appendingPathComponent("Tests/python/serde_interop.py").path

    static func proto(_ name: String) throws -> String {
        try String(
            contentsOfFile: Build.packageRoot.appendingPathComponent("Tests/python/protos/shop/\(name)").path, encoding: .utf8)
    }

    static func client(_ server: RegistryClient) -> SchemaRegistryClient {
        SchemaRegistryClient(configuration: RegistryClientConfiguration(baseURL: server.base))
    }

    /// Runs the Python side; fails the test with its output when it fails.
    static func python(_ mode: String, _ server: RegistryClient, _ file: String) async throws -> String {
        let result = try await Build.run(["python3", script, mode, server.base, file], timeout: .seconds(300), tool: "/usr/bin/env")
        try #require(result.status == 0, "serde_interop.py \(mode) failed\nstdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        return result.stdout
    }

    /// `<case> <rest>` lines as a dictionary.
    static func lines(_ text: String) -> [String: String] {
        var cases: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            cases[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return cases
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count - 1, by: 2).compactMap {
            UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)
        }
    }

    /// The V0 frame: magic 0x00 and the id, big-endian.
    static func idFrame(_ id: Int) -> [UInt8] {
        [0, UInt8(id >> 24 & 0xFF), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)]
    }

    /// The GUID frame: magic 0x01 and the GUID's 16 bytes.
    static func guidFrame(_ guid: String?) -> [UInt8] {
        [1] + bytes(hex: (guid ?? "").replacingOccurrences(of: "-", with: "").lowercased())
    }

    // MARK: values

    static let accordOrder = Order(
        id: "acc-1", cents: 9_007_199_254_740_993, note: "ring twice", status: .shipped, tags: ["gift", "fragile"],
        address: Address(city: "Zürich", zip: 8001))
    static let accordOrderUnset = Order(
        id: "acc-2", cents: -42, note: nil, status: .paid, tags: [], address: Address(city: "Oslo", zip: nil))
    static let accordPurchase = Purchase(
        id: "p-1", buyer: Customer(name: "Ada", email: "ada@example.com"), referrer: Customer(name: "Grace", email: nil),
        total: 123_456_789_012)
    static let accordPurchaseUnset = Purchase(id: "p-2", buyer: Customer(name: "Linus", email: nil), referrer: nil, total: -1)

    static func protoOrder(_ id: String) -> Shop_Order {
        var order = Shop_Order()
        order.id = id
        order.cents = -7
        order.tags = ["a", "b", "c"]
        order.status = .paid
        return order
    }

    static func refund(_ orderID: String) -> Shop_Refund {
        var refund = Shop_Refund()
        refund.orderID = orderID
        refund.cents = 4_294_967_296
        return refund
    }

    static func line(_ sku: String, _ cents: Int64, _ quantity: Int32) -> Shop_Invoice.Line {
        var line = Shop_Invoice.Line()
        line.sku = sku
        line.cents = cents
        line.quantity = quantity
        return line
    }

    /// The same invoice as the Python side's.
    static let invoice: Shop_Invoice = {
        var invoice = Shop_Invoice()
        invoice.number = "INV-2024-001"
        invoice.status = .shipped
        invoice.totalCents = 1_099_511_627_776
        var order = Shop_Order()
        order.id = "po-9"
        order.cents = 250
        order.tags = ["x"]
        order.status = .shipped
        invoice.order = order
        invoice.lines = [line("SKU-1", 100, 2), line("SKU-2", -50, 1)]
        return invoice
    }()
    static let invoiceJSON = """
        {"lines":[{"cents":"100","quantity":2,"sku":"SKU-1"},{"cents":"-50","quantity":1,"sku":"SKU-2"}],\
        "number":"INV-2024-001","order":{"cents":"250","id":"po-9","status":"SHIPPED","tags":["x"]},\
        "status":"SHIPPED","totalCents":"1099511627776"}
        """
    /// The same as Accord's JSONValueDeserializer writes it: fields in the schema's order.
    static let invoiceJSONInSchemaOrder = """
        {"number":"INV-2024-001","order":{"id":"po-9","cents":"250","tags":["x"],"status":"SHIPPED"},\
        "lines":[{"sku":"SKU-1","cents":"100","quantity":2},{"sku":"SKU-2","cents":"-50","quantity":1}],\
        "status":"SHIPPED","totalCents":"1099511627776"}
        """

    // MARK: Accord writes, confluent-kafka reads

    @Test func confluentKafkaReadsWhatAccordWrites() async throws {
        let shop = try Self.proto("shop.proto")
        let invoiceProto = try Self.proto("invoice.proto")
        try await withServer { server in
            let client = Self.client(server)
            var written: [(String, [UInt8])] = []
            let id = SerializerOptions(framing: .id)
            let guid = SerializerOptions(framing: .guid)

            // Avro, V0 and GUID framing.
            let orders = try await AvroSerializer<Order>(client: client, schema: Self.orderSchema, options: id)
            written.append(("avro/acc-avro-id", try await orders.serialize(Self.accordOrder, topic: "acc-avro-id")))
            let guidOrders = try await AvroSerializer<Order>(client: client, schema: Self.orderSchema, options: guid)
            written.append(("avro/acc-avro-guid", try await guidOrders.serialize(Self.accordOrderUnset, topic: "acc-avro-guid")))

            // Avro with a reference: the referenced record registered first, under its own subject.
            let customer = try await client.register(subject: "acc-customer", RegistrySchema(schema: Self.customerSchema))
            let customerReference = RegistryReference(name: Self.customerReferenceName, subject: "acc-customer", version: 1)
            let purchases = try await AvroSerializer<Purchase>(
                client: client, schema: Self.purchaseSchema, references: [customerReference], options: id)
            written.append(("avro/acc-avro-ref", try await purchases.serialize(Self.accordPurchase, topic: "acc-avro-ref")))
            let guidPurchases = try await AvroSerializer<Purchase>(
                client: client, schema: Self.purchaseSchema, references: [customerReference], options: guid)
            written.append(
                ("avro/acc-avro-ref-guid", try await guidPurchases.serialize(Self.accordPurchaseUnset, topic: "acc-avro-ref-guid")))

            // Protobuf: the file's first message, its second (GUID framing), a file importing another (the import
            // registered under its own subject, the reference named by the import path), and a nested message.
            let protoOrders = try await ProtobufSerializer<Shop_Order>(client: client, schema: shop, options: id)
            written.append(("proto/shop.Order/acc-proto-order", try await protoOrders.serialize(Self.protoOrder("ao-1"), topic: "acc-proto-order")))
            let refunds = try await ProtobufSerializer<Shop_Refund>(client: client, schema: shop, options: guid)
            written.append(
                ("proto/shop.Refund/acc-proto-refund-guid", try await refunds.serialize(Self.refund("ao-1"), topic: "acc-proto-refund-guid")))
            _ = try await client.register(subject: "acc-shop-dep", RegistrySchema(schemaType: "PROTOBUF", schema: shop))
            let shopReference = RegistryReference(name: "shop.proto", subject: "acc-shop-dep", version: 1)
            let invoices = try await ProtobufSerializer<Shop_Invoice>(
                client: client, schema: invoiceProto, references: [shopReference], options: id)
            written.append(("proto/shop.Invoice/acc-proto-invoice", try await invoices.serialize(Self.invoice, topic: "acc-proto-invoice")))
            let guidInvoices = try await ProtobufSerializer<Shop_Invoice>(
                client: client, schema: invoiceProto, references: [shopReference], options: guid)
            written.append(
                ("proto/shop.Invoice/acc-proto-invoice-guid", try await guidInvoices.serialize(Self.invoice, topic: "acc-proto-invoice-guid")))
            let lines = try await ProtobufSerializer<Shop_Invoice.Line>(
                client: client, schema: invoiceProto, references: [shopReference], options: id)
            written.append(
                ("proto/shop.Invoice.Line/acc-proto-line", try await lines.serialize(Self.line("SKU-3", .max, -3), topic: "acc-proto-line")))

            // The GUID frame in the __value_schema_id Kafka header, the bare payload as the message
            // (confluent-kafka's header_schema_id_serializer; its dual deserializer looks in the headers first).
            let header = SerializerOptions(framing: .guidHeader)
            var headed: [(String, [UInt8], [UInt8])] = []
            let headerOrders = try await AvroSerializer<Order>(client: client, schema: Self.orderSchema, options: header)
            let headerOrderBytes = try await headerOrders.serialize(Self.accordOrder, topic: "acc-avro-header")
            let orderHeaders = try await headerOrders.registry.headers(topic: "acc-avro-header")
            #expect(orderHeaders.map(\.0) == ["__value_schema_id"])
            headed.append(("avro/acc-avro-header", headerOrderBytes, orderHeaders.first?.1 ?? []))
            let headerRefunds = try await ProtobufSerializer<Shop_Refund>(client: client, schema: shop, options: header)
            let headerRefundBytes = try await headerRefunds.serialize(Self.refund("ao-1"), topic: "acc-proto-refund-header")
            let refundHeaders = try await headerRefunds.registry.headers(topic: "acc-proto-refund-header")
            headed.append(("proto/shop.Refund/acc-proto-refund-header", headerRefundBytes, refundHeaders.first?.1 ?? []))
            #expect(headerRefundBytes == (try Self.refund("ao-1").serializedBytes() as [UInt8]))

            // Byte-level: the frames carry the registered ids and GUIDs, then the message indexes.
            let bytes = Dictionary(uniqueKeysWithValues: written)
            func registered(_ topic: String) async throws -> SubjectSchema {
                try await client.version(subject: "\(topic)-value", .latest)
            }
            let avroID = try await registered("acc-avro-id")
            #expect(bytes["avro/acc-avro-id"]?.prefix(5) == Self.idFrame(avroID.id)[...])
            let avroGUID = try await registered("acc-avro-guid")
            #expect(avroGUID.id == avroID.id)  // one schema, two subjects
            #expect(avroGUID.guid != nil)
            #expect(bytes["avro/acc-avro-guid"]?.prefix(17) == Self.guidFrame(avroGUID.guid)[...])
            let purchase = try await registered("acc-avro-ref")
            #expect(purchase.schema.references == [customerReference])
            #expect(purchase.id != customer.id)
            let protoOrder = try await registered("acc-proto-order")
            #expect(bytes["proto/shop.Order/acc-proto-order"]?.prefix(6) == (Self.idFrame(protoOrder.id) + [0])[...])
            let refund = try await registered("acc-proto-refund-guid")
            // shop.Refund is shop.proto's second message: indexes [1], count 1 (zig-zag 2) then 1 (zig-zag 2).
            #expect(bytes["proto/shop.Refund/acc-proto-refund-guid"]?.prefix(19) == (Self.guidFrame(refund.guid) + [2, 2])[...])
            let invoice = try await registered("acc-proto-invoice")
            #expect(invoice.schema.references == [shopReference])
            #expect(bytes["proto/shop.Invoice/acc-proto-invoice"]?.prefix(6) == (Self.idFrame(invoice.id) + [0])[...])
            // shop.Invoice.Line is the first message's first nested message: indexes [0, 0], count 2 (4), 0, 0.
            #expect(bytes["proto/shop.Invoice.Line/acc-proto-line"]?.prefix(8) == (Self.idFrame(invoice.id) + [4, 0, 0])[...])

            let folder = try Build.temporaryFolder("serde-interop")
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("accord.txt").path
            let text = written.map { "\($0.0) \(Self.hex($0.1))\n" }.joined()
                + headed.map { "\($0.0) \(Self.hex($0.1)) \(Self.hex($0.2))\n" }.joined()
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let headerOrder = try await registered("acc-avro-header")
            #expect(headed[0].2 == Self.guidFrame(headerOrder.guid))
            let headerRefund = try await registered("acc-proto-refund-header")
            #expect(headed[1].2 == Self.guidFrame(headerRefund.guid) + [2, 2])
            let read = Self.lines(try await Self.python("read", server, file))

            let expected: [String: String] = [
                "avro/acc-avro-id": """
                    {"address":{"city":"Zürich","zip":8001},"cents":9007199254740993,"id":"acc-1","note":"ring twice",\
                    "status":"SHIPPED","tags":["gift","fragile"]}
                    """,
                "avro/acc-avro-id#frame": #"{"id":\#(avroID.id),"magic":0}"#,
                "avro/acc-avro-guid": #"{"address":{"city":"Oslo","zip":null},"cents":-42,"id":"acc-2","note":null,"status":"PAID","tags":[]}"#,
                "avro/acc-avro-guid#frame": #"{"guid":"\#(avroGUID.guid?.lowercased() ?? "")","magic":1}"#,
                "avro/acc-avro-ref": """
                    {"buyer":{"email":"ada@example.com","name":"Ada"},"id":"p-1","referrer":{"email":null,"name":"Grace"},\
                    "total":123456789012}
                    """,
                "avro/acc-avro-ref#frame": #"{"id":\#(purchase.id),"magic":0}"#,
                "avro/acc-avro-ref-guid": #"{"buyer":{"email":null,"name":"Linus"},"id":"p-2","referrer":null,"total":-1}"#,
                "avro/acc-avro-ref-guid#frame": #"{"guid":"\#(purchase.guid?.lowercased() ?? "")","magic":1}"#,
                "proto/shop.Order/acc-proto-order": #"{"cents":"-7","id":"ao-1","status":"PAID","tags":["a","b","c"]}"#,
                "proto/shop.Order/acc-proto-order#frame": #"{"id":\#(protoOrder.id),"indexes":[0],"magic":0}"#,
                "proto/shop.Refund/acc-proto-refund-guid": #"{"cents":"4294967296","orderId":"ao-1"}"#,
                "proto/shop.Refund/acc-proto-refund-guid#frame": #"{"guid":"\#(refund.guid?.lowercased() ?? "")","indexes":[1],"magic":1}"#,
                "proto/shop.Invoice/acc-proto-invoice": Self.invoiceJSON,
                "proto/shop.Invoice/acc-proto-invoice#frame": #"{"id":\#(invoice.id),"indexes":[0],"magic":0}"#,
                "proto/shop.Invoice/acc-proto-invoice-guid": Self.invoiceJSON,
                "proto/shop.Invoice/acc-proto-invoice-guid#frame": #"{"guid":"\#(invoice.guid?.lowercased() ?? "")","indexes":[0],"magic":1}"#,
                "proto/shop.Invoice.Line/acc-proto-line": #"{"cents":"9223372036854775807","quantity":-3,"sku":"SKU-3"}"#,
                "proto/shop.Invoice.Line/acc-proto-line#frame": #"{"id":\#(invoice.id),"indexes":[0,0],"magic":0}"#,
                "avro/acc-avro-header": """
                    {"address":{"city":"Zürich","zip":8001},"cents":9007199254740993,"id":"acc-1","note":"ring twice",\
                    "status":"SHIPPED","tags":["gift","fragile"]}
                    """,
                "avro/acc-avro-header#frame": #"{"guid":"\#(headerOrder.guid?.lowercased() ?? "")","magic":1}"#,
                "proto/shop.Refund/acc-proto-refund-header": #"{"cents":"4294967296","orderId":"ao-1"}"#,
                "proto/shop.Refund/acc-proto-refund-header#frame": #"{"guid":"\#(headerRefund.guid?.lowercased() ?? "")","indexes":[1],"magic":1}"#,
            ]
            #expect(read.count == expected.count)
            for (name, json) in expected.sorted(by: { $0.key < $1.key }) {
                #expect(read[name] == json, "\(name)")
            }
        }
    }

    // MARK: confluent-kafka writes, Accord reads

    @Test func accordReadsWhatConfluentKafkaWrites() async throws {
        try await withServer { server in
            let folder = try Build.temporaryFolder("serde-interop")
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("python.txt").path
            _ = try await Self.python("write", server, file)
            // `<case> <payload hex> [<__value_schema_id header hex>]`
            let columns = Self.lines(try String(contentsOfFile: file, encoding: .utf8)).mapValues { $0.split(separator: " ").map(String.init) }
            let written = columns.mapValues { Self.bytes(hex: $0[0]) }
            let headers = columns.compactMapValues { $0.count > 1 ? Self.bytes(hex: $0[1]) : nil }
            #expect(written.count == 10)
            #expect(headers.count == 2)
            func message(_ name: String) throws -> [UInt8] { try #require(written[name], "no case \(name)") }

            let client = Self.client(server)
            func registered(_ subject: String) async throws -> SubjectSchema {
                try await client.version(subject: subject, .latest)
            }
            let json = try await JSONValueDeserializer(client: client)
            func jsonText(_ bytes: [UInt8]) async throws -> String {
                try await json.deserialize(bytes, topic: "py").serialized()
            }

            // Avro, V0 frame.
            let orders = try await AvroDeserializer<Order>(client: client)
            let avroID = try message("avro/py-avro-id")
            let orderVersion = try await registered("py-avro-id-value")
            #expect(avroID.prefix(5) == Self.idFrame(orderVersion.id)[...])
            #expect(
                try await orders.deserialize(avroID, topic: "py-avro-id")
                    == Order(
                        id: "py-1", cents: 9_007_199_254_740_993, note: "leave at door", status: .shipped,
                        tags: ["gift", "fragile"], address: Address(city: "Zürich", zip: 8001)))
            // JSONValueDeserializer: Avro's plain JSON mapping (unions unwrapped), fields in schema order.
            #expect(
                try await jsonText(avroID) == """
                    {"id":"py-1","cents":9007199254740993,"note":"leave at door","status":"SHIPPED","tags":["gift","fragile"],\
                    "address":{"city":"Zürich","zip":8001}}
                    """)

            // Avro, GUID frame as the payload prefix.
            let avroGUID = try message("avro/py-avro-guid")
            let guidVersion = try await registered("py-avro-guid-value")
            #expect(avroGUID.prefix(17) == Self.guidFrame(guidVersion.guid)[...])
            #expect(
                try await orders.deserialize(avroGUID, topic: "py-avro-guid")
                    == Order(id: "py-2", cents: -42, note: nil, status: .paid, tags: [], address: Address(city: "Oslo", zip: nil)))
            #expect(
                try await jsonText(avroGUID)
                    == #"{"id":"py-2","cents":-42,"note":null,"status":"PAID","tags":[],"address":{"city":"Oslo","zip":null}}"#)

            // Avro with a reference.
            let avroRef = try message("avro/py-avro-ref")
            let purchaseVersion = try await registered("py-avro-ref-value")
            #expect(purchaseVersion.schema.references == [RegistryReference(name: Self.customerReferenceName, subject: "py-customer", version: 1)])
            #expect(avroRef.prefix(5) == Self.idFrame(purchaseVersion.id)[...])
            #expect(
                try await AvroDeserializer<Purchase>(client: client).deserialize(avroRef, topic: "py-avro-ref")
                    == Purchase(
                        id: "p-7", buyer: Customer(name: "Ada", email: "ada@example.com"),
                        referrer: Customer(name: "Grace", email: nil), total: 123_456_789_012))
            #expect(
                try await jsonText(avroRef) == """
                    {"id":"p-7","buyer":{"name":"Ada","email":"ada@example.com"},"referrer":{"name":"Grace","email":null},\
                    "total":123456789012}
                    """)

            // Protobuf: first message (indexes [0], the single byte 0x00), second message (indexes [1]).
            let protoOrder = try message("proto/shop.Order/py-proto-order")
            let protoOrderVersion = try await registered("py-proto-order-value")
            #expect(protoOrder.prefix(6) == (Self.idFrame(protoOrderVersion.id) + [0])[...])
            #expect(try await ProtobufDeserializer<Shop_Order>(client: client).deserialize(protoOrder, topic: "py-proto-order") == Self.protoOrder("po-1"))
            // JSONValueDeserializer: proto3's JSON mapping (int64 as strings, lowerCamelCase names, enum names).
            #expect(try await jsonText(protoOrder) == #"{"id":"po-1","cents":"-7","tags":["a","b","c"],"status":"PAID"}"#)
            let refund = try message("proto/shop.Refund/py-proto-refund")
            #expect(refund.prefix(7) == (Self.idFrame(try await registered("py-proto-refund-value").id) + [2, 2])[...])
            #expect(try await ProtobufDeserializer<Shop_Refund>(client: client).deserialize(refund, topic: "py-proto-refund") == Self.refund("po-1"))
            #expect(try await jsonText(refund) == #"{"orderId":"po-1","cents":"4294967296"}"#)

            // The import: confluent-kafka registered shop.proto under the subject "shop.proto" and referenced it
            // by the name "shop.proto".
            let invoiceVersion = try await registered("py-proto-invoice-value")
            #expect(invoiceVersion.schema.references == [RegistryReference(name: "shop.proto", subject: "shop.proto", version: 1)])
            #expect(try await client.subjects().contains("shop.proto"))
            let invoices = try await ProtobufDeserializer<Shop_Invoice>(client: client)
            let invoice = try message("proto/shop.Invoice/py-proto-invoice")
            #expect(invoice.prefix(6) == (Self.idFrame(invoiceVersion.id) + [0])[...])
            #expect(try await invoices.deserialize(invoice, topic: "py-proto-invoice") == Self.invoice)
            #expect(try await jsonText(invoice) == Self.invoiceJSONInSchemaOrder)
            let guidInvoice = try message("proto/shop.Invoice/py-proto-invoice-guid")
            #expect(guidInvoice.prefix(18) == (Self.guidFrame(try await registered("py-proto-invoice-guid-value").guid) + [0])[...])
            #expect(try await invoices.deserialize(guidInvoice, topic: "py-proto-invoice-guid") == Self.invoice)
            #expect(try await jsonText(guidInvoice) == Self.invoiceJSONInSchemaOrder)

            // A nested message: indexes [0, 0].
            let line = try message("proto/shop.Invoice.Line/py-proto-line")
            #expect(line.prefix(8) == (Self.idFrame(try await registered("py-proto-line-value").id) + [4, 0, 0])[...])
            #expect(
                try await ProtobufDeserializer<Shop_Invoice.Line>(client: client).deserialize(line, topic: "py-proto-line")
                    == Self.line("SKU-3", .max, -3))
            #expect(try await jsonText(line) == #"{"sku":"SKU-3","cents":"9223372036854775807","quantity":-3}"#)

            // The GUID frame in the __value_schema_id header, the bare payload as the message.
            let headerOrder = try message("avro/py-avro-header")
            let headerOrderFrame = try #require(headers["avro/py-avro-header"])
            #expect(headerOrderFrame == Self.guidFrame(try await registered("py-avro-header-value").guid))
            let headerOrderList = [("__value_schema_id", headerOrderFrame)]
            #expect(
                try await orders.deserialize(headerOrder, topic: "py-avro-header", headers: headerOrderList)
                    == Order(
                        id: "py-1", cents: 9_007_199_254_740_993, note: "leave at door", status: .shipped,
                        tags: ["gift", "fragile"], address: Address(city: "Zürich", zip: 8001)))
            let headerRefund = try message("proto/shop.Refund/py-proto-refund-header")
            let headerRefundFrame = try #require(headers["proto/shop.Refund/py-proto-refund-header"])
            #expect(headerRefundFrame == Self.guidFrame(try await registered("py-proto-refund-header-value").guid) + [2, 2])
            #expect(
                try await ProtobufDeserializer<Shop_Refund>(client: client)
                    .deserialize(headerRefund, topic: "py-proto-refund-header", headers: [("__value_schema_id", headerRefundFrame)])
                    == Self.refund("po-1"))
            #expect(
                try await json.deserialize(headerRefund, topic: "py", headers: [("__value_schema_id", headerRefundFrame)]).serialized()
                    == #"{"orderId":"po-1","cents":"4294967296"}"#)
        }
    }
}
