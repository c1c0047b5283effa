public import AccordClient
import ProtobufSchema
import SchemaProviders
public import SwiftProtobuf

/// Serializes SwiftProtobuf messages in Confluent's wire format: header, message indexes of `M` in the schema,
/// then the message's bytes.
///
/// ```swift
/// let serializer = try await ProtobufSerializer<Shop_Order>(client: client, schema: orderProtoText)
/// let bytes = try await serializer.serialize(order, topic: "orders")
/// ```
/// The `.proto` text is what the registry stores for `M` (generated Swift code carries no descriptor at run
/// time). Before anything is produced, the bytes are checked against the registered schema (required fields,
/// field types), so a message that does not match its contract throws `SerdeError.invalidValue`.
public final class ProtobufSerializer<M: SwiftProtobuf.Message>: Sendable {
    public let registry: RegistrySerializer
    public let deadLetters: (any DeadLetterSink)?

    public init(
        client: SchemaRegistryClient, schema: String, references: [RegistryReference] = [],
        options: SerializerOptions = SerializerOptions(), deadLetters: (any DeadLetterSink)? = nil
    ) async throws(SerdeError) {
        self.registry = try await RegistrySerializer(
            client: client, schema: RegistrySchema(schemaType: "PROTOBUF", schema: schema, references: references),
            messageName: M.protoMessageName, options: options)
        self.deadLetters = deadLetters
    }

    public var schemaParses: Int { registry.schemaParses }

    public func serialize(_ message: M, topic: String, field: MessageField = .value) async throws(SerdeError) -> [UInt8] {
        let writer = try await registry.writer(topic: topic, field: field)
        do {
            let payload: [UInt8]
            do {
                payload = try message.serializedBytes()
            } catch {
                throw SerdeError.invalidValue(path: "", reason: "\(M.protoMessageName) cannot be serialized: \(error)")
            }
            if registry.options.checkPayloads {
                do {
                    try writer.codec.validate(payload)
                } catch {
                    throw SerdeError.invalidValue(path: error.path ?? error.pointer ?? "", reason: error.message)
                }
            }
            return writer.header + payload
        } catch let error as SerdeError {
            await deadLetters?.deadLetter(
                DeadLetter(stage: .serialize, topic: topic, field: field, subject: writer.subject, payload: [], reason: error.description))
            throw error
        } catch {
            throw .invalidValue(path: "", reason: "\(error)")
        }
    }
}

/// Reads Protobuf messages in Confluent's wire format into `M`: the writer schema is fetched once per id (it
/// must be a Protobuf schema), the message indexes are skipped, and the payload is read by field number, so a
/// consumer built against one version reads every compatible version.
public final class ProtobufDeserializer<M: SwiftProtobuf.Message>: Sendable {
    public let registry: RegistryDeserializer
    public let deadLetters: (any DeadLetterSink)?

    public init(client: SchemaRegistryClient, deadLetters: (any DeadLetterSink)? = nil) async throws(SerdeError) {
        self.registry = try await RegistryDeserializer(client: client)
        self.deadLetters = deadLetters
    }

    public var schemaParses: Int { registry.schemaParses }

    /// `headers`: the message's Kafka headers, when its producer put the schema GUID there.
    public func deserialize(
        _ bytes: [UInt8], topic: String, field: MessageField = .value, headers: [(String, [UInt8])] = []
    ) async throws(SerdeError) -> M {
        try await deadLettering(deadLetters, .deserialize, topic: topic, field: field, payload: bytes) { () throws(SerdeError) in
            let (reader, payload) = try await registry.reader(for: bytes, headers: headers, field: field)
            guard reader.writer.type == .protobuf else {
                throw .invalidSchema("\(reader.key) is a \(reader.writer.type.rawValue) schema, not Protobuf")
            }
            do {
                return try M(serializedBytes: payload)
            } catch {
                throw .invalidPayload(path: "", reason: "not a \(M.protoMessageName): \(error)", offset: nil)
            }
        }
    }
}
