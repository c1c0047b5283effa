public import AccordClient
public import AvroCodec
import SchemaProviders
import JSONSupport
import Synchronization

/// Serializes `Encodable` values (or `AvroValue`s) as Avro in Confluent's wire format.
///
/// ```swift
/// let serializer = try await AvroSerializer<Order>(client: client, schema: orderSchemaJSON)
/// let bytes = try await serializer.serialize(order, topic: "orders")   // 0x00, id, Avro binary
/// ```
/// The value is checked against the schema before anything is produced: a value that does not fit throws
/// `SerdeError.invalidValue` with the field path, and goes to `deadLetters` when one is set.
public final class AvroSerializer<Value: Encodable>: Sendable {
    public let registry: RegistrySerializer
    public let deadLetters: (any DeadLetterSink)?

    public init(
        client: SchemaRegistryClient, schema: String, references: [RegistryReference] = [],
        options: SerializerOptions = SerializerOptions(), deadLetters: (any DeadLetterSink)? = nil
    ) async throws(SerdeError) {
        self.registry = try await RegistrySerializer(
            client: client, schema: RegistrySchema(schemaType: "AVRO", schema: schema, references: references),
            options: options)
        self.deadLetters = deadLetters
    }

    /// A serializer that writes with the subject's latest version (`options.useLatest` or
    /// `useLatestWithMetadata` must be set).
    public init(client: SchemaRegistryClient, options: SerializerOptions, deadLetters: (any DeadLetterSink)? = nil)
        async throws(SerdeError)
    {
        self.registry = try await RegistrySerializer(client: client, schema: nil, options: options)
        self.deadLetters = deadLetters
    }

    /// Schemas parsed so far; with `registry.client.requests`, what tests watch to see a warm cache do nothing.
    public var schemaParses: Int { registry.schemaParses }

    public func serialize(_ value: Value, topic: String, field: MessageField = .value) async throws(SerdeError) -> [UInt8] {
        let writer = try await avroWriter(topic: topic, field: field)
        do {
            return try writer.frame(try AvroValueEncoder(schema: writer.schema).encode(value))
        } catch {
            throw await refuse(error, writer: writer)
        }
    }

    /// An `AvroValue` checked and encoded with the writer schema, framed.
    public func serialize(avro value: AvroValue, topic: String, field: MessageField = .value) async throws(SerdeError) -> [UInt8] {
        let writer = try await avroWriter(topic: topic, field: field)
        do {
            return try writer.frame(value)
        } catch {
            throw await refuse(error, writer: writer)
        }
    }

    /// A serializer bound to one topic's `field`: the subject resolved and the schema registered now, then
    /// every call is synchronous and touches no lock or cache (for a producer loop writing to one topic).
    public func bound(topic: String, field: MessageField = .value) async throws(SerdeError) -> BoundAvroSerializer<Value> {
        BoundAvroSerializer(writer: try await avroWriter(topic: topic, field: field))
    }

    /// Hands a refused value's reason to the dead-letter sink; returns the error to throw.
    private func refuse(_ error: SerdeError, writer: AvroWriter) async -> SerdeError {
        await deadLetters?.deadLetter(
            DeadLetter(stage: .serialize, topic: writer.topic, field: writer.field, subject: writer.subject, payload: [], reason: error.description))
        return error
    }

    /// The last topic's writer, kept typed so a stream of messages to one topic costs a string comparison,
    /// not a dictionary lookup and a dynamic cast.
    private let lastWriter = Mutex<AvroWriter?>(nil)

    private func avroWriter(topic: String, field: MessageField) async throws(SerdeError) -> AvroWriter {
        if let last = lastWriter.withLock({ $0 }), last.field == field, last.topic == topic { return last }
        let writer = try await registry.writer(topic: topic, field: field)
        guard let codec = writer.codec as? AvroMessageCodec else {
            throw .invalidSchema("subject \(writer.subject) holds a \(writer.schema.type.rawValue) schema, not Avro")
        }
        let typed = AvroWriter(
            topic: topic, field: field, subject: writer.subject, schema: codec.schema, codec: codec.codec, header: writer.header)
        lastWriter.withLock { $0 = typed }
        return typed
    }
}

/// An `AvroSerializer` bound to one topic (`AvroSerializer.bound(topic:field:)`): values are checked and framed
/// exactly as `serialize` does, without the per-call lookup. Refusals throw; they are not dead-lettered.
public struct BoundAvroSerializer<Value: Encodable>: Sendable {
    let writer: AvroWriter

    /// The subject and schema id the bytes are framed with.
    public var subject: String { writer.subject }

    public func serialize(_ value: Value) throws(SerdeError) -> [UInt8] {
        try writer.frame(try AvroValueEncoder(schema: writer.schema).encode(value))
    }

    public func serialize(avro value: AvroValue) throws(SerdeError) -> [UInt8] {
        try writer.frame(value)
    }
}

/// What an Avro serializer writes one topic's messages with (a class: the hot path copies one reference).
final class AvroWriter: Sendable {
    let topic: String
    let field: MessageField
    let subject: String
    let schema: AvroSchema
    let codec: AvroDatumCodec
    let header: [UInt8]

    init(topic: String, field: MessageField, subject: String, schema: AvroSchema, codec: AvroDatumCodec, header: [UInt8]) {
        self.topic = topic
        self.field = field
        self.subject = subject
        self.schema = schema
        self.codec = codec
        self.header = header
    }

    func frame(_ value: AvroValue) throws(SerdeError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        bytes.append(contentsOf: header)
        do {
            try codec.encode(value, into: &bytes)
        } catch {
            throw .invalidValue(path: error.dataPath ?? error.pointer?.description ?? "", reason: error.message)
        }
        return bytes
    }
}

/// Reads Avro messages in Confluent's wire format (id or GUID framing) into `Decodable` values: the writer
/// schema comes from the registry by the frame's id, once; with a reader schema, every version the producers
/// wrote is read in that one shape (Avro schema resolution).
public final class AvroDeserializer<Value: Decodable>: Sendable {
    public let registry: RegistryDeserializer
    public let deadLetters: (any DeadLetterSink)?

    /// `readerSchema`: the Avro schema this consumer reads with (nil reads each message in its writer's shape).
    public init(
        client: SchemaRegistryClient, readerSchema: String? = nil, readerReferences: [RegistryReference] = [],
        deadLetters: (any DeadLetterSink)? = nil
    ) async throws(SerdeError) {
        self.registry = try await RegistryDeserializer(
            client: client,
            readerSchema: readerSchema.map { RegistrySchema(schemaType: "AVRO", schema: $0, references: readerReferences) })
        self.deadLetters = deadLetters
    }

    public var schemaParses: Int { registry.schemaParses }

    /// `headers`: the message's Kafka headers, when its producer put the schema GUID there.
    public func deserialize(
        _ bytes: [UInt8], topic: String, field: MessageField = .value, headers: [(String, [UInt8])] = []
    ) async throws(SerdeError) -> Value {
        try await deadLettering(deadLetters, .deserialize, topic: topic, field: field, payload: bytes) { () throws(SerdeError) in
            let value = try await avroValue(bytes, headers: headers, field: field)
            return try AvroValueDecoder(schema: value.schema).decode(Value.self, from: value.value)
        }
    }

    /// The message as an `AvroValue`, with the schema whose shape it has (the reader's when one is set).
    public func avroValue(_ bytes: [UInt8], headers: [(String, [UInt8])] = [], field: MessageField = .value)
        async throws(SerdeError) -> (value: AvroValue, schema: AvroSchema)
    {
        let (reader, payload) = try await registry.reader(for: bytes, headers: headers, field: field)
        guard let codec = reader.codec as? AvroMessageCodec else {
            throw .invalidSchema("schema \(reader.key) is a \(reader.writer.type.rawValue) schema, not Avro")
        }
        do {
            return (try codec.value(payload), codec.schema)
        } catch {
            throw .invalidPayload(path: error.path ?? error.pointer ?? "", reason: error.message, offset: error.offset)
        }
    }
}
