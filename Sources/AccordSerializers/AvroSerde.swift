public import AccordClient
public import AvroCodec
import SchemaProviders
import JSONSupport

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
        let writer = try await registry.writer(topic: topic, field: field)
        guard let codec = writer.codec as? AvroMessageCodec else {
            throw .invalidSchema("subject \(writer.subject) holds a \(writer.schema.type.rawValue) schema, not Avro")
        }
        do {
            let avro = try AvroValueEncoder(schema: codec.schema).encode(value)
            return try Self.frame(avro, codec: codec, header: writer.header)
        } catch {
            await deadLetters?.deadLetter(
                DeadLetter(stage: .serialize, topic: topic, field: field, subject: writer.subject, payload: [], reason: error.description))
            throw error
        }
    }

    /// An `AvroValue` checked and encoded with the writer schema, framed.
    public func serialize(avro value: AvroValue, topic: String, field: MessageField = .value) async throws(SerdeError) -> [UInt8] {
        let writer = try await registry.writer(topic: topic, field: field)
        guard let codec = writer.codec as? AvroMessageCodec else {
            throw .invalidSchema("subject \(writer.subject) holds a \(writer.schema.type.rawValue) schema, not Avro")
        }
        do {
            return try Self.frame(value, codec: codec, header: writer.header)
        } catch {
            await deadLetters?.deadLetter(
                DeadLetter(stage: .serialize, topic: topic, field: field, subject: writer.subject, payload: [], reason: error.description))
            throw error
        }
    }

    static func frame(_ value: AvroValue, codec: AvroMessageCodec, header: [UInt8]) throws(SerdeError) -> [UInt8] {
        var bytes = header
        do {
            try codec.codec.encode(value, into: &bytes)
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
