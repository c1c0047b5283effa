public import AccordClient
import ProtobufSchema
import SchemaProviders
public import SwiftProtobuf
import Synchronization

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
        let writer = try await protobufWriter(topic: topic, field: field)
        do {
            return try writer.frame(message)
        } catch {
            await deadLetters?.deadLetter(
                DeadLetter(stage: .serialize, topic: topic, field: field, subject: writer.subject, payload: [], reason: error.description))
            throw error
        }
    }

    /// A serializer bound to one topic's `field`: resolved now, then every call is synchronous and lock-free.
    public func bound(topic: String, field: MessageField = .value) async throws(SerdeError) -> BoundProtobufSerializer<M> {
        BoundProtobufSerializer(writer: try await protobufWriter(topic: topic, field: field))
    }

    /// The last topic's writer: a stream of messages to one topic costs a string comparison, not a lookup.
    private let lastWriter = Mutex<ProtobufWriter?>(nil)

    private func protobufWriter(topic: String, field: MessageField) async throws(SerdeError) -> ProtobufWriter {
        if let last = lastWriter.withLock({ $0 }), last.field == field, last.topic == topic { return last }
        let writer = try await registry.writer(topic: topic, field: field)
        let typed = ProtobufWriter(
            topic: topic, field: field, subject: writer.subject, header: writer.header,
            check: registry.options.checkPayloads ? writer.codec : nil)
        lastWriter.withLock { $0 = typed }
        return typed
    }
}

/// A `ProtobufSerializer` bound to one topic (`ProtobufSerializer.bound(topic:field:)`). Refusals throw; they are
/// not dead-lettered.
public struct BoundProtobufSerializer<M: SwiftProtobuf.Message>: Sendable {
    let writer: ProtobufWriter

    public var subject: String { writer.subject }

    public func serialize(_ message: M) throws(SerdeError) -> [UInt8] { try writer.frame(message) }
}

/// What a Protobuf serializer writes one topic's messages with (a class: the hot path copies one reference).
final class ProtobufWriter: Sendable {
    let topic: String
    let field: MessageField
    let subject: String
    let header: [UInt8]
    /// The registered schema's codec, when payloads are checked against it.
    let check: (any MessageCodec)?

    init(topic: String, field: MessageField, subject: String, header: [UInt8], check: (any MessageCodec)?) {
        self.topic = topic
        self.field = field
        self.subject = subject
        self.header = header
        self.check = check
    }

    /// The message's bytes, checked against the registered schema when asked, after the header.
    func frame<M: SwiftProtobuf.Message>(_ message: M) throws(SerdeError) -> [UInt8] {
        let payload: [UInt8]
        do {
            payload = try message.serializedBytes()
        } catch {
            throw .invalidValue(path: "", reason: "\(M.protoMessageName) cannot be serialized: \(error)")
        }
        if let check {
            do {
                try check.validate(payload)
            } catch {
                throw .invalidValue(path: error.path ?? error.pointer ?? "", reason: error.message)
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(header.count + payload.count)
        bytes.append(contentsOf: header)
        bytes.append(contentsOf: payload)
        return bytes
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
