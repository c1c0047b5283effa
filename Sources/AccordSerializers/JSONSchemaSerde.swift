public import AccordClient
import Foundation
import JSONSupport

/// Serializes `Encodable` values as JSON Schema messages in Confluent's wire format: the value's JSON (Foundation's
/// `JSONEncoder`, configurable), checked against the schema, after the frame. What confluent-kafka's
/// `JSONSerializer` writes and reads.
///
/// ```swift
/// let serializer = try await JSONSchemaSerializer<Shipment>(client: client, schema: shipmentSchemaJSON)
/// let bytes = try await serializer.serialize(shipment, topic: "shipments")   // 0x00, id, JSON text
/// ```
/// A value the schema refuses throws `SerdeError.invalidValue` with every violation, and goes to `deadLetters`.
public final class JSONSchemaSerializer<Value: Encodable>: Sendable {
    public let json: JSONValueSerializer
    private let makeEncoder: @Sendable () -> JSONEncoder

    /// `encoder` makes the encoder for each value (dates, keys and so on as the schema expects them).
    public init(
        client: SchemaRegistryClient, schema: String, references: [RegistryReference] = [],
        options: SerializerOptions = SerializerOptions(), deadLetters: (any DeadLetterSink)? = nil,
        encoder: @escaping @Sendable () -> JSONEncoder = { JSONEncoder() }
    ) async throws(SerdeError) {
        self.json = try await JSONValueSerializer(
            client: client, schema: schema, schemaType: "JSON", references: references, options: options, deadLetters: deadLetters)
        self.makeEncoder = encoder
    }

    public var schemaParses: Int { json.schemaParses }

    public func serialize(_ value: Value, topic: String, field: MessageField = .value) async throws(SerdeError) -> [UInt8] {
        let document: JSONValue
        do {
            document = try JSONParser.parse(Array(try makeEncoder().encode(value)))
        } catch {
            throw .invalidValue(path: "", reason: "the value does not encode as JSON: \(error)")
        }
        return try await json.serialize(document, topic: topic, field: field)
    }
}

/// Reads JSON Schema messages (checked against their writer's schema, or `readerSchema`) into `Decodable` values.
public final class JSONSchemaDeserializer<Value: Decodable>: Sendable {
    public let json: JSONValueDeserializer
    private let makeDecoder: @Sendable () -> JSONDecoder

    public init(
        client: SchemaRegistryClient, readerSchema: String? = nil, readerReferences: [RegistryReference] = [],
        deadLetters: (any DeadLetterSink)? = nil, decoder: @escaping @Sendable () -> JSONDecoder = { JSONDecoder() }
    ) async throws(SerdeError) {
        self.json = try await JSONValueDeserializer(
            client: client,
            readerSchema: readerSchema.map { RegistrySchema(schemaType: "JSON", schema: $0, references: readerReferences) },
            deadLetters: deadLetters)
        self.makeDecoder = decoder
    }

    public var schemaParses: Int { json.schemaParses }

    public func deserialize(
        _ bytes: [UInt8], topic: String, field: MessageField = .value, headers: [(String, [UInt8])] = []
    ) async throws(SerdeError) -> Value {
        let document = try await json.deserialize(bytes, topic: topic, field: field, headers: headers)
        do {
            return try makeDecoder().decode(Value.self, from: Data(document.serialized().utf8))
        } catch {
            throw .invalidPayload(path: "", reason: "the message does not decode as \(Value.self): \(error)", offset: nil)
        }
    }
}
