import AccordClient
import AccordSerializers
import Foundation
import JSONSupport
import Testing

/// JSON Schema payloads between Accord and confluent-kafka's JSONSerializer/JSONDeserializer (PyPI, unmodified)
/// through `accord serve`: Python writes, Accord reads; Accord writes, Python reads; both refuse invalid data.
@Suite struct JSONSchemaInteropTests {
    static let script = Build.packageRoot.appendingPathComponent("Tests/python/json_serde_interop.py").path

    /// The same schema as the Python side (its text: Python's json.dumps of the same object).
    static let shipment = ##"{"$schema": "http://json-schema.org/draft-07/schema#", "title": "Shipment", "type": "object", "properties": {"id": {"type": "string", "pattern": "^SH-[0-9]+$"}, "kg": {"type": "number", "exclusiveMinimum": 0}, "carrier": {"enum": ["DHL", "UPS"]}, "to": {"$ref": "#/definitions/address"}, "tags": {"type": "array", "items": {"type": "string"}}}, "required": ["id", "carrier", "to"], "additionalProperties": false, "definitions": {"address": {"type": "object", "properties": {"city": {"type": "string"}, "zip": {"type": ["integer", "null"]}}, "required": ["city"]}}}"##

    static func python(_ arguments: [String]) async throws -> String {
        let result = try await Build.run(["python3", script] + arguments, timeout: .seconds(300), tool: "/usr/bin/env")
        try #require(result.status == 0, "json_serde_interop.py \(arguments.first ?? "") failed\n\(result.stdout)\n\(result.stderr)")
        return result.stdout
    }

    static func lines(_ text: String) -> [String: String] {
        var cases: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            cases[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return cases
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count - 1, by: 2).compactMap {
            UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)
        }
    }

    @Test func accordAndConfluentKafkaReadEachOthersJSONSchemaMessages() async throws {
        try await withServer { server in
            let folder = try Build.temporaryFolder("json-interop")
            defer { try? FileManager.default.removeItem(at: folder) }
            let client = SchemaRegistryClient(configuration: RegistryClientConfiguration(baseURL: server.base))

            // Python writes (registering the schema as JSON); Accord reads and checks each message.
            let pythonFile = folder.appendingPathComponent("python.txt").path
            _ = try await Self.python(["write", server.base, pythonFile])
            let registered = try await server.get("/subjects/shipments-interop-value/versions/1")
            #expect(registered.string("schemaType") == "JSON")
            let deserializer = try await JSONValueDeserializer(client: client)
            let written = Self.lines(try String(contentsOfFile: pythonFile, encoding: .utf8))
            #expect(written.count == 2)
            let full = try await deserializer.deserialize(Self.bytes(hex: written["python-full"] ?? ""), topic: "shipments-interop")
            #expect(full == (try JSONParser.parse(#"{"id": "SH-1", "kg": 2.5, "carrier": "UPS", "to": {"city": "Zürich", "zip": 8001}, "tags": ["a", "b"]}"#)))
            let minimal = try await deserializer.deserialize(Self.bytes(hex: written["python-minimal"] ?? ""), topic: "shipments-interop")
            #expect(minimal.objectValue?["to"]?.objectValue?["zip"] == .null)

            // Accord writes with the same schema (found registered, same id); Python reads.
            let serializer = try await JSONValueSerializer(client: client, schema: Self.shipment, schemaType: "JSON")
            let accordValue = try JSONParser.parse(#"{"id": "SH-77", "carrier": "DHL", "to": {"city": "Oslo"}, "tags": []}"#)
            let framed = try await serializer.serialize(accordValue, topic: "shipments-interop")
            #expect(Array(framed.prefix(5)) == [0, 0, 0, 0, UInt8(registered.int("id") ?? 0)])
            // A message the schema refuses is never written.
            await #expect(throws: SerdeError.self) {
                _ = try await serializer.serialize(try JSONParser.parse(#"{"id": "nope", "carrier": "FEDEX", "to": {}}"#), topic: "shipments-interop")
            }
            let accordFile = folder.appendingPathComponent("accord.txt").path
            try "accord-1 \(Self.hex(framed))\n".write(toFile: accordFile, atomically: true, encoding: .utf8)
            let read = Self.lines(try await Self.python(["read", server.base, accordFile]))
            #expect(read["accord-1"] == #"{"carrier":"DHL","id":"SH-77","tags":[],"to":{"city":"Oslo"}}"#)

            // Codable values through the typed pair: Python's message read into a struct, a struct written for Python.
            struct Address: Codable, Equatable { var city: String; var zip: Int? }
            struct Shipment: Codable, Equatable { var id: String; var kg: Double?; var carrier: String; var to: Address; var tags: [String]? }
            let typedReader = try await JSONSchemaDeserializer<Shipment>(client: client)
            let typed = try await typedReader.deserialize(Self.bytes(hex: written["python-full"] ?? ""), topic: "shipments-interop")
            #expect(typed == Shipment(id: "SH-1", kg: 2.5, carrier: "UPS", to: Address(city: "Zürich", zip: 8001), tags: ["a", "b"]))
            let typedWriter = try await JSONSchemaSerializer<Shipment>(client: client, schema: Self.shipment)
            let typedBytes = try await typedWriter.serialize(
                Shipment(id: "SH-78", kg: nil, carrier: "UPS", to: Address(city: "Lyon", zip: 69001), tags: nil), topic: "shipments-interop")
            try "accord-typed \(Self.hex(typedBytes))\n".write(toFile: accordFile, atomically: true, encoding: .utf8)
            let typedRead = Self.lines(try await Self.python(["read", server.base, accordFile]))
            #expect(typedRead["accord-typed"] == #"{"carrier":"UPS","id":"SH-78","to":{"city":"Lyon","zip":69001}}"#)
            await #expect(throws: SerdeError.self) {
                _ = try await typedWriter.serialize(
                    Shipment(id: "bad", kg: -1, carrier: "UPS", to: Address(city: "Lyon", zip: nil), tags: nil), topic: "shipments-interop")
            }

            // Python's serializer refuses invalid data too (it validates against the schema it registered here).
            #expect(try await Self.python(["refuse", server.base]).hasPrefix("refused "))
        }
    }
}
